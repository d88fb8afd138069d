extension VerifyGuide {
    /// Section 1: the shell functions every later block uses (the shapes values must have, and
    /// `fail`, which ends the shell at the first malformed value), then the bag's names, text files,
    /// manifests and checkpoints.
    static let bag = #"""
        ## 1. The bag is complete, unchanged and well formed

        Everything the blocks read from the bag — file names, indexes, sizes, counts, hashes, keys,
        times, ids, origins — is first checked for its shape, with the patterns below, and used only
        then, always quoted; nothing from the bag is ever evaluated. The first malformed value prints
        `FAILED: ...`, naming its file, and **ends the shell** (`exit 1`): nothing after it is checked,
        so no `OK` follows it. Start a new shell for these blocks (run `bash` in the bag's top folder).

        ```sh
        export LC_ALL=C   # bytes, not characters: every pattern below is ASCII, and lengths count bytes
        work=$(mktemp -d)   # scratch files go here, never into the bag; removed when this shell ends
        trap 'rm -rf "$work"' EXIT
        re_number='^(0|[1-9][0-9]{0,17})$'             # a size or count: decimal, no leading zero, at most 18 digits
        re_index='^[0-9]{1,18}$'                       # a log index in a file name: zero-padded digits
        re_hash='^[A-Za-z0-9+/]{43}=$'                 # standard base64 of 32 bytes
        re_hex='^[0-9a-f]{64}$'                        # lowercase hex of 32 bytes
        re_dsse='^[A-Za-z0-9+/_-]+={0,2}$'             # a DSSE base64 field: either alphabet, padded or not
        re_key='^MCowBQYDK2VwAyEA[A-Za-z0-9+/]{43}=$'  # base64 of an Ed25519 SubjectPublicKeyInfo DER (44 bytes)
        re_party='^[a-z0-9][a-z0-9-]{0,62}$'           # a party id, a step id
        re_document='^[a-z][a-z0-9-]{0,62}$'           # a document name
        re_case='^[A-Za-z0-9._-]{1,128}$'              # a case id
        re_time='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'   # RFC 3339 UTC, to the second
        re_name='^[^[:space:][:cntrl:]+]{1,255}$'      # a log origin, a signed note's key name
        re_path='^[A-Za-z0-9_][A-Za-z0-9_.@+-]{0,127}(/[A-Za-z0-9_][A-Za-z0-9_.@+-]{0,127}){0,15}$'   # a relative file path
        re_signature='^— [^[:space:][:cntrl:]+]{1,255} ([A-Za-z0-9+/]{4}){1,64}([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$'
        fail() {  # fail MESSAGE: prints FAILED and ends this shell; nothing after a malformed value is checked
          printf 'FAILED: %s\n' "$1"
          exit 1
        }
        check() {  # check FILE WHAT PATTERN VALUE: fails, naming FILE, unless the whole of VALUE matches PATTERN
          [[ $4 =~ $3 ]] || fail "$1: $2 is malformed: $(printf '%q' "${4:0:100}")"
        }
        rows() {  # rows OUT JSON FILTER [FILE]: one line into OUT per array FILTER gives from the JSON, its strings joined by
                  # the byte 0x1F; fails, naming FILE (default JSON), unless each is a string without control characters
          jq -r "$3"' | map(if type == "string" and (explode | all(. > 31 and . != 127)) then . else error("malformed") end)
            | join("\u001f")' "$2" > "$1" 2> /dev/null || fail "${4:-$2} is malformed: $3 does not give strings without control characters"
        }
        value() {  # value VAR JSON FILTER PATTERN [FILE]: sets VAR to the string FILTER picks ("" for none), once it matches PATTERN
          local value_read   # never a VAR given to value: it would shadow that variable
          rows "$work/value" "$2" "[$3 // \"\"]" "$5"
          value_read=$(< "$work/value")
          check "${5:-$2}" "$3" "$4" "$value_read"
          printf -v "$1" '%s' "$value_read"
        }
        dsse_base64() {  # dsse_base64 < TEXT: decodes a DSSE base64 field, standard or URL-safe alphabet, padded or not
          local text
          text=$(tr -- '-_' '+/')
          case $(( ${#text} % 4 )) in 2) text="$text==" ;; 3) text="$text=" ;; esac
          printf '%s' "$text" | base64 -d
        }
        payload() {  # payload ENVELOPE: checks its payloadType and payload, and decodes the payload into $work/payload
          local _type _text
          value _type "$1" .payloadType '^application/vnd\.in-toto\+json$'
          value _text "$1" .payload "$re_dsse"
          printf '%s' "$_text" | dsse_base64 > "$work/payload" 2> /dev/null || fail "$1 is malformed: its payload is not base64"
        }
        merkle_node() {  # merkle_node LEFT RIGHT: SHA-256(0x01 || LEFT || RIGHT), each in base64 (RFC 6962's node hash)
          { printf '\1'; printf '%s' "$1" | base64 -d; printf '%s' "$2" | base64 -d; } | openssl dgst -sha256 -binary | base64
        }
        plain_text() {  # plain_text FILE: fails unless FILE holds text: no control character but the line feed
          [ "$(tr -d '\n\040-\176\200-\377' < "$1" | wc -c)" -eq 0 ] ||
            fail "$1 is malformed: it holds a control character (a NUL, a carriage return, an escape...)"
        }
        checkpoint_shape() {  # checkpoint_shape FILE [NAME]: fails unless FILE is a checkpoint: origin, size and root lines,
                              # extension lines (at most one log-time and one case-map), a blank line, signature lines
          local name=${2:-$1} line n=0 body=yes times=0 maps=0 signatures=0
          while IFS= read -r line || [ -n "$line" ]; do
            n=$((n + 1))
            if [ -z "$body" ]; then
              check "$name" "a signature line" "$re_signature" "$line"; signatures=$((signatures + 1))
            elif [ "$n" -eq 1 ]; then
              check "$name" "the origin line" "$re_name" "$line"
            elif [ "$n" -eq 2 ]; then
              check "$name" "the tree size line" "$re_number" "$line"
            elif [ "$n" -eq 3 ]; then
              check "$name" "the root hash line" "$re_hash" "$line"
            elif [ -z "$line" ]; then
              body=""
            elif [[ $line == "countersign.dev/log-time "* ]]; then
              check "$name" "the log-time line" "$re_time" "${line#countersign.dev/log-time }"; times=$((times + 1))
            elif [[ $line == "countersign.dev/case-map "* ]]; then
              check "$name" "the case-map line" "$re_hash" "${line#countersign.dev/case-map }"; maps=$((maps + 1))
            fi
          done < "$1"
          [ "$signatures" -gt 0 ] || fail "$name is malformed: no blank line and signature lines follow its text"
          [ "$times" -le 1 ] && [ "$maps" -le 1 ] || fail "$name is malformed: more than one log-time or case-map line"
        }
        bag_path() {  # bag_path WHERE PATH: fails, naming WHERE, unless PATH is a name a Countersign bag may hold
          case $2 in
            data/entries/* | data/governance/*) check "$1" "a file's path" '^data/(entries|governance)/[0-9]{1,18}\.dsse\.json$' "$2" ;;
            data/proofs/*) check "$1" "a file's path" '^data/proofs/[0-9]{1,18}\.tlog-proof$' "$2" ;;
            data/checkpoints/*) check "$1" "a file's path" '^data/checkpoints/[0-9]{1,18}\.(txt|consistency)$' "$2" ;;
            data/documents/*) check "$1" "a file's path" '^data/documents/[a-z][a-z0-9-]{0,62}(@[0-9]{1,18})?\.xml$' "$2" ;;
            data/parties/*) check "$1" "a file's path" '^data/parties/[a-z0-9][a-z0-9-]{0,62}\.yaml$' "$2" ;;
            data/*) check "$1" "a file's path" "^data/${re_path#^}" "$2" ;;
            *) check "$1" "a file's path" '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$' "$2" ;;
          esac
        }
        ```

        This checks every name in the bag, that its text files hold only text, that the manifests
        list exactly the files of `data/` (RFC 8493 §3: every payload file) with their SHA-512, and
        the shape of every checkpoint.

        ```sh
        : > "$work/files"   # the payload files, one a line
        while IFS= read -r -d '' path; do
          path=${path#./}
          bag_path "the bag" "$path"
          [ -f "$path" ] && [ ! -L "$path" ] || fail "$path is malformed: it is not a plain file (a link, a device...)"
          case $path in data/*) printf '%s\n' "$path" >> "$work/files" ;; esac
        done < <(find . -mindepth 1 ! -type d -print0)
        for file in bagit.txt bag-info.txt manifest-sha512.txt tagmanifest-sha512.txt data/checkpoint.txt; do
          [ -f "$file" ] || fail "$file is missing"
        done
        for file in *.txt data/checkpoint.txt data/log-times.txt data/case-head.proof data/proofs/* data/checkpoints/*; do
          [ -f "$file" ] && plain_text "$file"
        done
        while IFS= read -r line || [ -n "$line" ]; do
          check manifest-sha512.txt "a line" '^[0-9a-f]{128}  data/' "$line"
          bag_path manifest-sha512.txt "${line:130}"
        done < manifest-sha512.txt
        while IFS= read -r line || [ -n "$line" ]; do
          check tagmanifest-sha512.txt "a line" '^[0-9a-f]{128}  [A-Za-z0-9][A-Za-z0-9._-]{0,127}$' "$line"
        done < tagmanifest-sha512.txt
        unlisted=$(cut -c131- manifest-sha512.txt | sort | comm -13 - <(sort "$work/files") | paste -sd ' ' -)
        if sha512sum --quiet -c tagmanifest-sha512.txt && sha512sum --quiet -c manifest-sha512.txt && [ -z "$unlisted" ]; then
          echo "OK: every file matches the bag's manifests"
        else
          echo "FAILED: the bag's files do not match its manifests${unlisted:+ (not listed: $unlisted)}"
        fi
        governance=(data/governance/*.dsse.json)
        [ -f "${governance[0]}" ] || fail "data/governance/ holds no governance entry"
        entries=(data/entries/*.dsse.json)
        [ -f "${entries[0]}" ] || fail "data/entries/ holds no case entry"
        for file in data/checkpoint.txt data/checkpoints/*.txt; do
          [ -f "$file" ] && checkpoint_shape "$file"
        done
        ```

        The manifests only say which files belong; they are not signed. The checks below tie the
        contents to the people who signed them.


        """#
}
