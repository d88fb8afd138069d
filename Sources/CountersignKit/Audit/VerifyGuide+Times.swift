extension VerifyGuide {
    /// Section 8: the earlier checkpoints (consistency, log time, signatures), then each entry's log
    /// time between the checkpoints around it.
    static let times = #"""
        ## 8. When each entry reached the log

        Every append records the entry's **log time**, the log's clock when it received the entry,
        never earlier than the entry before it. `data/log-times.txt` gives each entry's, one line
        `INDEX TIME` per entry of the bag. Nothing signs those lines by themselves; the checkpoints
        bound them. Each checkpoint states the log time of its newest entry on an extension line of
        its signed text:

            sed -n 's/^countersign\.dev\/log-time //p' data/checkpoint.txt

        and each witness cosignature carries the time the witness cosigned, the 8 bytes after the
        4-byte key id of its signature, big-endian POSIX seconds (`WITNESS` being its party id):

            sed '1,/^$/d' data/checkpoint.txt | grep '^— WITNESS ' | cut -d' ' -f3 | base64 -d | tail -c +5 | head -c 8 | od -An -tu8 --endian=big
            date -u -d @SECONDS +%Y-%m-%dT%H:%M:%SZ

        A checkpoint of at most `i` entries was signed before the log received entry `i`, so it
        states no later log time than the entry's; one of more entries includes it, so it states no
        earlier one, and a witness that cosigned it at time T says the log held the entry by T (a
        witness cosigns no log time in its future, nor one that goes back). For each case entry the
        bag carries the newest checkpoint the log had signed before it (`data/checkpoints/SIZE.txt`,
        when there is one) and the oldest that includes it (there, or `data/checkpoint.txt`), each
        with every cosignature it had and the consistency proof from it to `data/checkpoint.txt`
        (RFC 9162 §2.1.4: `old SIZE`, `new SIZE`, then the proof's hashes in base64, one per line),
        which shows its tree is a prefix of the one every inclusion proof leads to. This checks each
        earlier checkpoint (its consistency proof, its log time, its signatures as in section 7),
        then each entry's log time against the checkpoints around it, and prints the interval.

        ```sh
        rfc3339() {  # rfc3339 TEXT: its POSIX seconds, when TEXT is an RFC 3339 UTC time to the second
          local seconds
          [[ $1 =~ $re_time ]] || return 1
          seconds=$(date -u -d "$1" +%s 2> /dev/null) && [[ $seconds =~ ^-?[0-9]{1,18}$ ]] || return 1
          [ "$(date -u -d "@$seconds" +%Y-%m-%dT%H:%M:%SZ)" = "$1" ] && printf '%s' "$seconds"
        }
        checkpoint_time() {  # checkpoint_time FILE: the time on the one log-time line of the checkpoint's text
          local lines
          lines=$(sed '/^$/,$d' "$1" | sed -n '4,$p' | sed -n 's/^countersign\.dev\/log-time //p')
          [ -n "$lines" ] && [ "$(printf '%s\n' "$lines" | wc -l)" -eq 1 ] && printf '%s' "$lines"
        }
        consistent() {  # consistent PROOF OLD-SIZE OLD-ROOT NEW-SIZE NEW-ROOT: RFC 9162 §2.1.4.2
          local first=$2 second=$4 fn sn fr sr c lines=() path=()
          [ -f "$1" ] || return 1
          mapfile -t lines < "$1"
          check "$1" "the first line" '^countersign\.dev/consistency-proof@v1$' "${lines[0]-}"
          check "$1" "the old size line" '^old (0|[1-9][0-9]{0,17})$' "${lines[1]-}"
          check "$1" "the new size line" '^new (0|[1-9][0-9]{0,17})$' "${lines[2]-}"
          path=("${lines[@]:3}")
          for c in "${path[@]}"; do check "$1" "a hash of the proof" "$re_hash" "$c"; done
          [ "${lines[1]}" = "old $first" ] && [ "${lines[2]}" = "new $second" ] && [ "$first" -gt 0 ] &&
            [ "$first" -lt "$second" ] && [ "${#path[@]}" -le 128 ] || return 1
          [ $((first & (first - 1))) -eq 0 ] && path=("$3" "${path[@]}")
          [ "${#path[@]}" -gt 0 ] || return 1
          fn=$((first - 1)); sn=$((second - 1))
          while [ $((fn & 1)) -eq 1 ]; do fn=$((fn >> 1)); sn=$((sn >> 1)); done
          fr=${path[0]}; sr=${path[0]}
          for c in "${path[@]:1}"; do
            [ "$sn" -ne 0 ] || return 1
            if [ $((fn & 1)) -eq 1 ] || [ "$fn" -eq "$sn" ]; then
              fr=$(merkle_node "$c" "$fr"); sr=$(merkle_node "$c" "$sr")
              while [ $((fn & 1)) -eq 0 ] && [ "$fn" -ne 0 ]; do fn=$((fn >> 1)); sn=$((sn >> 1)); done
            else
              sr=$(merkle_node "$sr" "$c")
            fi
            fn=$((fn >> 1)); sn=$((sn >> 1))
          done
          [ "$sn" -eq 0 ] && [ "$fr" = "$3" ] && [ "$sr" = "$5" ]
        }
        cosigners() {  # cosigners SIZE: who cosigned the checkpoint of SIZE entries, and when
          awk -v size="$1" '$1 == size { printf "%s by %s at %s", (n++ ? " and" : "cosigned"), $2, $3 }
            END { if (!n) printf "cosigned by no witness" }' "$work/cosigned"
        }
        payload "${governance[0]}"
        value clock "$work/payload" .predicate.consortium.clock '^(system|simulated)?$' "${governance[0]}"
        [ "$clock" = simulated ] && echo "NOTE: this consortium's clock is simulated (a demo or test): the times below prove nothing"
        main=$(sed -n 2p data/checkpoint.txt); mainroot=$(sed -n 3p data/checkpoint.txt)
        check data/checkpoint.txt "the tree size line" "$re_number" "$main"
        check data/checkpoint.txt "the root hash line" "$re_hash" "$mainroot"
        : > "$work/times"   # one "SIZE SECONDS TIME" line per checkpoint whose log time counts
        if [ ! -e data/log-times.txt ] && ! checkpoint_time data/checkpoint.txt > /dev/null; then
          echo "NOTE: the bag records no log times (the log kept none then): nothing bounds when its entries reached the log"
        elif [ "$main" = 0 ] || ! t=$(checkpoint_time data/checkpoint.txt) || ! s=$(rfc3339 "$t"); then
          echo "FAILED: data/checkpoint.txt states no valid tree size, root or log time (one countersign.dev/log-time line)"
        else
          echo "$main $s $t" >> "$work/times"
          listed=$(sed -n 's/^Countersign-Bracketing-Checkpoints: //p' bag-info.txt)
          check bag-info.txt "Countersign-Bracketing-Checkpoints" '^((0|[1-9][0-9]{0,17})( (0|[1-9][0-9]{0,17}))*)?$' "$listed"
          read -ra listed <<< "$listed"   # sizes, now known to be digits separated by spaces
          for size in "${listed[@]}"; do
            found=""
            for file in data/checkpoints/*.txt; do
              n=$(basename "$file" .txt)
              [[ $n =~ $re_index ]] && [ "$size" = "$((10#$n))" ] && found=yes
            done
            [ -n "$found" ] || echo "FAILED: bag-info.txt lists bracketing checkpoint $size, which data/checkpoints/ does not hold"
          done
          for file in data/checkpoints/*.txt; do
            [ -e "$file" ] || continue
            size=$(basename "$file" .txt)
            check "$file" "the size of its name" "$re_index" "$size"
            checkpoint_shape "$file"
            root=$(sed -n 3p "$file")
            if [ "$(sed -n 2p "$file")" != "$((10#$size))" ]; then
              echo "FAILED: $file is not named by its tree size, or has no valid root"
            elif ! consistent "data/checkpoints/$size.consistency" "$((10#$size))" "$root" "$main" "$mainroot"; then
              echo "FAILED: data/checkpoints/$size.consistency does not prove that $file is a prefix of data/checkpoint.txt"
            elif ! t=$(checkpoint_time "$file") || ! s=$(rfc3339 "$t"); then
              echo "FAILED: $file states no valid log time (one countersign.dev/log-time line)"
            else
              checkpoint_signatures "$file" "$file: "
              if [ -n "$logsigned" ]; then
                echo "$((10#$size)) $s $t" >> "$work/times"
                echo "OK: $file, the log's tree of $((10#$size)) entries at log time $t, is a prefix of data/checkpoint.txt"
              fi
            fi
          done
          sort -n -o "$work/times" "$work/times"
          last=""
          while read -r size s t; do
            [ -n "$last" ] && [ "$s" -lt "$last" ] && echo "FAILED: checkpoint $size states log time $t, earlier than a smaller checkpoint's"
            last=$s
            while read -r csize name at seconds; do
              [ "$csize" = "$size" ] && [ $((s - seconds)) -gt 300 ] &&
                echo "FAILED: $name cosigned checkpoint $size at $at, more than 5 minutes before its log time $t"
            done < "$work/cosigned"
          done < "$work/times"
          times=data/log-times.txt
          [ -f "$times" ] || { echo "FAILED: data/log-times.txt is missing"; times=/dev/null; }
          previous=-1; last=""
          while IFS= read -r line <&3 || [ -n "$line" ]; do
            check data/log-times.txt "the line" '^[0-9]{1,18} [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' "$line"
            index=${line% *}; time=${line#* }
            seconds=$(rfc3339 "$time") || fail "data/log-times.txt: the time of line \"$line\" is malformed: no real RFC 3339 UTC time"
            file="data/entries/$index.dsse.json"; [ -f "$file" ] || file="data/governance/$index.dsse.json"
            if [ ! -f "$file" ]; then
              echo "NOTE: data/log-times.txt gives a log time to entry $index, which the bag does not hold; ignored"
              continue
            fi
            n=$((10#$index))
            payload "$file"
            what=$(jq -r '.predicate | if .step == null then .change elif .step == .decision then .step else "\(.step) \(.decision)" end + " by \(.party)"' "$work/payload" | tr -d '[:cntrl:]')
            bsize=""; asize=""
            while read -r size s t; do
              if [ "$size" -le "$n" ]; then bsize=$size; bseconds=$s; btime=$t
              elif [ -z "$asize" ]; then asize=$size; aseconds=$s; atime=$t; fi
            done < "$work/times"
            problems=""
            [ "$n" -gt "$previous" ] || problems="$problems; it is not in log order"
            [ -z "$last" ] || [ "$seconds" -ge "$last" ] || problems="$problems; its log time is earlier than the entry's before it"
            if [ -n "$bsize" ] && [ "$seconds" -lt "$bseconds" ]; then
              problems="$problems; it is earlier than the log time $btime of checkpoint $bsize, which the log signed before it received the entry"
            fi
            if [ -z "$asize" ] || [ "$seconds" -gt "$aseconds" ]; then
              problems="$problems; it is later than the log time ${atime:-} of checkpoint ${asize:-(none)}, which includes the entry"
            elif [ "$asize" -eq $((n + 1)) ] && [ "$seconds" -ne "$aseconds" ]; then
              problems="$problems; checkpoint $asize, whose newest entry it is, states log time $atime"
            fi
            from="after the log's start"
            [ -n "$bsize" ] && from="after checkpoint $bsize (log time $btime, $(cosigners "$bsize"))"
            if [ -z "$problems" ]; then
              echo "OK: $file ($what) reached the log at $time, $from and before checkpoint $asize (log time $atime, $(cosigners "$asize"))"
            else
              echo "FAILED: $file ($what): data/log-times.txt gives log time $time: ${problems#; }"
            fi
            previous=$n; last=$seconds
          done 3< "$times"
          for entry in data/governance/*.dsse.json data/entries/*.dsse.json; do
            index=$(basename "$entry" .dsse.json)
            check "$entry" "the index of its name" "$re_index" "$index"
            grep -q "^$index " "$times" || echo "FAILED: data/log-times.txt gives $entry no log time"
          done
        fi
        ```

        Read an `OK` line as: the log received the entry at the time shown, by its own clock; the log
        had signed the first checkpoint named before that, and the second after, and each witness named
        cosigned that checkpoint at the time shown — so the entry reached the log before the earliest
        time a witness cosigned a checkpoint that includes it, on that witness's word.


        """#
}
