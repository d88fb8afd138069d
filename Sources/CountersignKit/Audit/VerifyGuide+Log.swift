extension VerifyGuide {
    /// Section 6: every entry's inclusion proof, walked to the checkpoint's root.
    static let inclusion = #"""
        ## 6. Every entry is in the log

        Governance entries and case entries are in the same log. A proof (C2SP `tlog-proof`) holds
        the entry's index, its RFC 9162 inclusion path (one base64 hash per line) and, after a blank
        line, the checkpoint. This walks the path from the entry's leaf hash to the root
        (RFC 9162 §2.1.3.2) and compares the proof's checkpoint with `data/checkpoint.txt`.

        ```sh
        tlog_proof() {  # tlog_proof FILE: checks a proof's lines; sets $leaf, its index; its path into $work/path, its checkpoint into $work/note
          local line n=0 blank=""
          leaf=""; : > "$work/path"
          while IFS= read -r line; do
            n=$((n + 1))
            if [ -z "$line" ] && [ "$n" -gt 1 ]; then
              blank=yes; break
            elif [ "$n" -eq 1 ]; then
              check "$1" "the first line" '^c2sp\.org/tlog-proof@v1$' "$line"
            elif [ "$n" -eq 2 ] && [[ $line == "extra "* ]]; then
              check "$1" "the extra line" '^extra [A-Za-z0-9+/]*={0,2}$' "$line"
            elif [ -z "$leaf" ]; then
              check "$1" "the index line" '^index (0|[1-9][0-9]{0,17})$' "$line"; leaf=${line#index }
            else
              check "$1" "a hash of the path" "$re_hash" "$line"
              [ "$n" -le 67 ] || fail "$1 is malformed: a path of more than 64 hashes"
              printf '%s\n' "$line" >> "$work/path"
            fi
          done < "$1"
          [ -n "$blank" ] && [ -n "$leaf" ] || fail "$1 is malformed: no index line, or no blank line before its checkpoint"
          sed '1,/^$/d' "$1" > "$work/note"
          checkpoint_shape "$work/note" "$1 (its checkpoint)"
        }
        main=$(sed -n 2p data/checkpoint.txt); mainroot=$(sed -n 3p data/checkpoint.txt)
        check data/checkpoint.txt "the tree size line" "$re_number" "$main"
        check data/checkpoint.txt "the root hash line" "$re_hash" "$mainroot"
        for entry in data/governance/*.dsse.json data/entries/*.dsse.json; do
          index=$(basename "$entry" .dsse.json)
          check "$entry" "the index of its name" "$re_index" "$index"
          proof="data/proofs/$index.tlog-proof"
          [ -f "$proof" ] && tlog_proof "$proof"
          if [ ! -f "$proof" ] || [ "$leaf" != "$((10#$index))" ]; then
            echo "FAILED: $proof is missing or is not the proof of entry $index"
            continue
          fi
          fn=$leaf; sn=$((main - 1))
          r=$( (printf '\0'; cat "$entry") | openssl dgst -sha256 -binary | base64)
          while IFS= read -r p; do
            [ "$sn" -gt 0 ] || { sn=-1; break; }   # more hashes than the path has levels
            if [ $((fn & 1)) -eq 1 ] || [ "$fn" -eq "$sn" ]; then
              r=$(merkle_node "$p" "$r")
              while [ $((fn & 1)) -eq 0 ] && [ "$fn" -ne 0 ]; do fn=$((fn >> 1)); sn=$((sn >> 1)); done
            else
              r=$(merkle_node "$r" "$p")
            fi
            fn=$((fn >> 1)); sn=$((sn >> 1))
          done < "$work/path"
          if [ "$leaf" -lt "$main" ] && [ "$r" = "$mainroot" ] && [ "$sn" -eq 0 ] && cmp -s "$work/note" data/checkpoint.txt; then
            echo "OK: $entry is in the log's tree of $main entries"
          else
            echo "FAILED: $proof does not lead from $entry to the root of data/checkpoint.txt"
          fi
        done
        ```


        """#

    /// Section 7: the log signer's signature and the witnesses' cosignatures on the checkpoint.
    static let checkpointSignatures = #"""
        ## 7. The checkpoint's signatures

        The log signs the checkpoint text (every line before the blank line) with Ed25519. Its
        signature line is named after the log's origin (the first line, which the genesis fixed) and
        must be by a key of the log signer: the party the consortium's policy names
        (`predicate.policy.log`; here, of the newest governance entry before the checkpoint's size in
        the bundle that carries a policy). A witness line is a `cosignature/v1` named after the
        witness's party id and checked with that member's keys: key id, an 8-byte big-endian time
        (POSIX seconds: when the witness cosigned), and a signature over `cosignature/v1`, `time T`
        and the checkpoint text. Each line starts with a 4-byte key id: the first bytes of
        SHA-256(name, a newline, the type byte 0x01 or 0x04, the raw key). Section 8 checks the
        earlier checkpoints the same way.

        ```sh
        governance=(data/governance/*.dsse.json)
        payload "${governance[0]}"
        value founded "$work/payload" .predicate.consortium.origin "^$|$re_name" "${governance[0]}"
        : > "$work/cosigned"   # one "SIZE WITNESS TIME SECONDS" line per valid cosignature
        checkpoint_signatures() {  # checkpoint_signatures FILE PREFIX: checks each signature line of a checkpoint; sets $logsigned
          local file=$1 prefix=$2 size origin logsigner="" policy="" entry index signer dash name signature
          local linekey party type time at what key valid id owner hash
          logsigned=""
          checkpoint_shape "$file"
          size=$(sed -n 2p "$file")
          if [ "$size" = 0 ]; then
            echo "FAILED: $file has no valid tree size"
            return
          fi
          for entry in "${governance[@]}"; do
            index=$(basename "$entry" .dsse.json)
            check "$entry" "the index of its name" "$re_index" "$index"
            [ "$((10#$index))" -lt "$size" ] || continue
            payload "$entry"
            value signer "$work/payload" .predicate.policy.log "^$|$re_party" "$entry"
            if [ -n "$signer" ]; then logsigner=$signer; policy=$entry; fi
          done
          origin=$(head -1 "$file")
          sed '/^$/,$d' "$file" > "$work/note"
          sed '1,/^$/d' "$file" > "$work/signatures"
          while read -r dash name signature; do
            printf '%s' "$signature" | base64 -d > "$work/line" 2> /dev/null
            linekey=$(head -c 4 "$work/line" | od -An -tx1 | tr -d ' \n')
            if [ "$name" = "$origin" ]; then
              party=$logsigner; type='\001'
              tail -c +5 "$work/line" > "$work/sig"; cp "$work/note" "$work/signed"
              what="the log's signature"
            else
              party=$name; type='\004'
              time=$(tail -c +5 "$work/line" | head -c 8 | od -An -tu8 --endian=big | tr -d ' ')
              at=""
              [[ $time =~ $re_number ]] && at=$(date -u -d "@$time" +%Y-%m-%dT%H:%M:%SZ 2> /dev/null)
              tail -c +13 "$work/line" > "$work/sig"
              { printf 'cosignature/v1\ntime %s\n' "$time"; cat "$work/note"; } > "$work/signed"
              what="the cosignature of witness $name at ${at:-an unreadable time}"
            fi
            key=""; valid=""
            while read -r id owner; do
              [ "$owner" = "$party" ] || continue
              hash=$({ printf '%s\n' "$name"; printf '%b' "$type"; cat "$work/keys/$id.raw"; } | openssl dgst -sha256 -binary | head -c 4 | od -An -tx1 | tr -d ' \n')
              [ "$hash" = "$linekey" ] || continue
              key=$id
              if openssl pkeyutl -verify -pubin -inkey "$work/keys/$id.pem" -rawin -in "$work/signed" -sigfile "$work/sig" > /dev/null 2>&1 < /dev/null; then
                valid=yes
              fi
            done < "$work/keys.txt"
            if [ -z "$key" ]; then
              echo "NOTE: ${prefix}the signature line of $name is by no key of ${party:-a member}; ignored"
            elif [ -n "$valid" ] && [ "$name" = "$origin" ] && [ "$origin" = "$founded" ]; then
              logsigned=yes
              echo "OK: ${prefix}$what verifies with key ${key:0:16}… of $party, the log signer $policy names, under the origin the genesis fixed"
            elif [ -n "$valid" ] && [ "$name" != "$origin" ] && [ -n "$at" ]; then
              echo "$size $name $at $time" >> "$work/cosigned"
              echo "OK: ${prefix}$what verifies with key ${key:0:16}… of member $party"
            else
              echo "FAILED: ${prefix}$what does not verify with key ${key:0:16}… of $party (or names another log than $founded)"
            fi
          done < "$work/signatures"
          [ -n "$logsigned" ] || echo "FAILED: $file carries no valid signature of the log signer $logsigner under $founded"
        }
        checkpoint_signatures data/checkpoint.txt ""
        ```


        """#
}
