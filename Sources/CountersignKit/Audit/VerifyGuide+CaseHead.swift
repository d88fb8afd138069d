extension VerifyGuide {
    /// Section 9: `data/case-head.proof` folded to the checkpoint's case-map root (docs/CASE-MAP.md),
    /// and its header held against the bag's entries.
    static let caseHead = #"""
        ## 9. The whole case: its head in the checkpoint's case map

        Besides the log's root, the checkpoint commits to the head of every case of the log: its
        `countersign.dev/case-map` line is the root of a Merkle map keyed by the SHA-256 of each case
        id, whose leaf for a case is `SHA-256(0x00 || key || SHA-256(head text))`, the head text being
        five lines: `countersign.dev/case-head/v1`, the case id, its number of entries, the leaf hash
        (hex) of its newest entry, and its outcome (`open`, `completed`, `rejected`, `expired` or
        `withdrawn`). An inner node is `SHA-256(0x01 || left || right)`, the left child holding the
        keys whose next bit is 0; a subtree of one case is that case's leaf, an empty one 32 zero bytes.
        `data/case-head.proof` gives the case's head (`case`, `count`, `head`, `outcome` lines after
        its first line), the siblings of the path from the leaf up (one base64 hash per line), a blank
        line, and the checkpoint. With `D` siblings the leaf is at depth `D`: sibling `j` (from 0) is
        hashed on the right of the current hash when bit `D - j - 1` of the key (most significant bit
        of the first byte first) is 0, on the left when it is 1. The proof holds when this leads to the
        checkpoint's case-map root; then the bag must hold that many entries of the case, its entry with
        the highest index must be the head, and its last decision must fit the outcome. So no entry of
        the case up to the checkpoint is missing from the bag, and none was left out at its end.

        ```sh
        case_head() {  # case_head: checks data/case-head.proof against data/checkpoint.txt and data/entries/
          local proof=data/case-head.proof line n=0 blank="" caseid="" count="" head="" outcome="" maproot h j depth bit size
          local bytes=() siblings=() entry index top=-1 newest="" held=0 others="" named decision step fits leaf
          if [ ! -f "$proof" ]; then
            echo "FAILED: $proof is missing: nothing shows that the bag holds the whole case"
            return
          fi
          : > "$work/siblings"
          while IFS= read -r line; do
            n=$((n + 1))
            case $n in
              1) check "$proof" "the first line" '^countersign\.dev/case-head-proof/v1$' "$line" ;;
              2) check "$proof" "the case line" '^case [A-Za-z0-9._-]{1,128}$' "$line"; caseid=${line#case } ;;
              3) check "$proof" "the count line" '^count [1-9][0-9]{0,17}$' "$line"; count=${line#count } ;;
              4) check "$proof" "the head line" '^head [0-9a-f]{64}$' "$line"; head=${line#head } ;;
              5) check "$proof" "the outcome line" '^outcome (open|completed|rejected|expired|withdrawn)$' "$line"
                 outcome=${line#outcome } ;;
              *) if [ -z "$line" ]; then blank=yes; break; fi
                 check "$proof" "a sibling line" "$re_hash" "$line"
                 [ "$n" -le 261 ] || fail "$proof is malformed: more than 256 siblings"
                 printf '%s\n' "$line" >> "$work/siblings" ;;
            esac
          done < "$proof"
          [ -n "$blank" ] || fail "$proof is malformed: no blank line ends its head and siblings"
          sed '1,/^$/d' "$proof" > "$work/headnote"
          if ! cmp -s "$work/headnote" data/checkpoint.txt; then
            echo "FAILED: $proof: its checkpoint is not data/checkpoint.txt"
            return
          fi
          checkpoint_shape data/checkpoint.txt
          size=$(sed -n 2p data/checkpoint.txt)
          maproot=$(sed '/^$/,$d' data/checkpoint.txt | sed -n '4,$s/^countersign\.dev\/case-map //p')
          check data/checkpoint.txt "the case-map line" "^$|$re_hash" "$maproot"
          if [ -z "$maproot" ]; then
            echo "FAILED: data/checkpoint.txt has no countersign.dev/case-map line: it commits to no case's head"
            return
          fi
          printf '%s' "$caseid" | openssl dgst -sha256 -binary > "$work/key"
          printf 'countersign.dev/case-head/v1\n%s\n%s\n%s\n%s\n' "$caseid" "$count" "$head" "$outcome" |
            openssl dgst -sha256 -binary > "$work/value"
          h=$({ printf '\0'; cat "$work/key" "$work/value"; } | openssl dgst -sha256 -binary | base64)
          read -ra bytes < <(od -An -v -tu1 "$work/key" | tr '\n' ' ')   # the key's 32 bytes, in decimal
          mapfile -t siblings < "$work/siblings"
          for ((j = 0; j < ${#siblings[@]}; j++)); do
            depth=$(( ${#siblings[@]} - j - 1 ))   # the depth of the node sibling j hangs from
            bit=$(( (bytes[depth / 8] >> (7 - depth % 8)) & 1 ))
            if [ "$bit" -eq 0 ]; then h=$(merkle_node "$h" "${siblings[j]}"); else h=$(merkle_node "${siblings[j]}" "$h"); fi
          done
          if [ "$h" != "$maproot" ]; then
            echo "FAILED: $proof does not lead from the head of case $caseid to the case-map root of data/checkpoint.txt"
            return
          fi
          echo "OK: $proof leads from the head of case $caseid ($count entries, outcome $outcome) to the case-map root of the log's tree of $size entries"
          for entry in data/entries/*.dsse.json; do
            [ -f "$entry" ] || continue
            index=$(basename "$entry" .dsse.json)
            check "$entry" "the index of its name" "$re_index" "$index"
            payload "$entry"
            value named "$work/payload" .predicate.case "$re_case" "$entry"
            [ "$named" = "$caseid" ] || others="$others $entry"
            held=$((held + 1))
            if [ "$((10#$index))" -gt "$top" ]; then top=$((10#$index)); newest=$entry; fi
          done
          [ -n "$newest" ] && leaf=$( (printf '\0'; cat "$newest") | openssl dgst -sha256 -r | cut -d' ' -f1)
          if [ -n "$others" ]; then
            echo "FAILED: entries of another case than $caseid:$others"
          elif [ "$held" != "$count" ]; then
            echo "FAILED: the bag holds $held entries of case $caseid, but the case had $count in the log's tree of $size entries"
          elif [ "$leaf" != "$head" ]; then
            echo "FAILED: $newest, the bag's newest entry, is not the head of case $caseid in the log's tree of $size entries"
          else
            echo "OK: the bag holds all $count entries of case $caseid in the log's tree of $size entries, the newest $newest"
          fi
          [ -n "$newest" ] || return
          payload "$newest"
          value step "$work/payload" .predicate.step "$re_party" "$newest"
          value decision "$work/payload" .predicate.decision '^(open|approve|reject|auto|expire|attach|withdraw)$' "$newest"
          case $outcome/$decision in
            completed/approve | completed/auto | rejected/reject | expired/expire | withdrawn/withdraw) fits=yes ;;
            open/expire | open/withdraw) fits="" ;;
            open/*) fits=yes ;;
            *) fits="" ;;
          esac
          if [ -n "$fits" ]; then
            echo "OK: the log says the case is $outcome; its newest entry, $step $decision, agrees"
          else
            echo "FAILED: the log says the case is $outcome, but its newest entry $newest is $step $decision"
          fi
        }
        case_head
        ```

        An outcome is what the case's entries replay to under its pipeline version; the shell does not
        replay them (`countersign verify-bundle` does), it only checks that the newest entry's decision
        fits: `reject` for `rejected`, `expire` for `expired`, `withdraw` for `withdrawn`, `approve` or
        `auto` for `completed`, and neither `expire` nor `withdraw` for `open`.


        """#
}
