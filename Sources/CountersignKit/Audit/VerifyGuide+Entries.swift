extension VerifyGuide {
    /// Section 2: the governance entries, in log order, each checked before the keys it lists count.
    static let governance = #"""
        ## 2. The consortium's governance entries, and the keys they bring in

        A governance entry records one change to the consortium: the genesis (the founder, the log's
        origin, the first policy), a party's keys (`member`), a policy, a pipeline version, an
        approval or a revocation. Its statement's `predicate.party` is the party that made the change;
        `predicate.member` (in genesis and member entries) lists the party's Ed25519 keys as base64 of
        their SubjectPublicKeyInfo DER. A key's id is the SHA-256 of the raw 32-byte key, the DER's
        last 32 bytes; an envelope names each signature's key by that id.

        DSSE signs the pre-authentication encoding
        `"DSSEv1" SP len(payloadType) SP payloadType SP len(payload) SP payload` of the decoded payload.
        DSSE lets an envelope write its `payload` and `sig` in standard or URL-safe base64, padded or
        not, and leave out a signature's `keyid` (or leave it empty); `dsse_base64` reads either
        alphabet, and a signature that names no key is checked against each key of the party it must
        be by (and, for a governance entry, each key the entry lists) until one verifies. A `keyid`
        that is given must name the key that verifies.
        A governance envelope may carry several signatures: the maker's, and one by every new key the
        entry brings in (its proof of possession). This takes the entries in log order, the genesis
        first, and accepts one only when every signature verifies, each by a key of the maker collected
        from an earlier entry or by a key the entry itself lists, and one of them by the maker; only
        then are the keys it lists collected, for the party it names. The party files in
        `data/parties/` play no part.

        ```sh
        pae() {  # pae ENVELOPE: its decoded payload into $work/payload, the bytes its signatures cover into $work/pae
          local type=application/vnd.in-toto+json   # the only payloadType that payload accepts
          payload "$1"
          { printf 'DSSEv1 %d %s %d ' "${#type}" "$type" "$(wc -c < "$work/payload")"; cat "$work/payload"; } > "$work/pae"
        }
        signatures() {  # signatures ENVELOPE: its signatures into $work/signatures, one "SIG<0x1F>KEYID" line each, checked
          local sig keyid
          rows "$work/signatures" "$1" '.signatures[] | [.sig, .keyid // ""]'
          while IFS=$'\x1f' read -r sig keyid; do
            check "$1" "a signature's sig" "$re_dsse" "$sig"
            check "$1" "a signature's keyid" "^$|$re_hex" "$keyid"
          done < "$work/signatures"
        }
        verifies() {  # verifies KEYID BASE64-SIGNATURE: whether that collected key signed $work/pae
          printf '%s' "$2" | dsse_base64 > "$work/sig" 2> /dev/null &&
            openssl pkeyutl -verify -pubin -inkey "$work/keys/$1.pem" -rawin -in "$work/pae" -sigfile "$work/sig" > /dev/null 2>&1 < /dev/null
        }
        signer_of() {  # signer_of BASE64-SIGNATURE KEYID...: the first of those collected keys that signed $work/pae
          local sig=$1 id
          shift
          for id in "$@"; do
            if verifies "$id" "$sig"; then echo "$id"; return; fi
          done
        }
        mkdir "$work/keys"; : > "$work/keys.txt"   # keys.txt: one "KEYID PARTY" line per collected key
        governance=(data/governance/*.dsse.json)
        genesis=${governance[0]}
        for entry in "${governance[@]}"; do
          pae "$entry"
          value party "$work/payload" .predicate.party "$re_party" "$entry"
          value change "$work/payload" .predicate.change '^[a-z]{1,32}$' "$entry"
          value previous "$work/payload" .predicate.previous "^$|$re_hex" "$entry"
          value member "$work/payload" .predicate.member.party "^$|$re_party" "$entry"
          rows "$work/listed" "$work/payload" '.predicate.member.keys[]? | [.ed25519]' "$entry"
          listed=$(wc -l < "$work/listed")
          what="$change"
          [ -n "$member" ] && what="$what of $member ($listed key$([ "$listed" -eq 1 ] || echo s))"
          what="$what by $party"
          problems=""
          if [ "$entry" = "$genesis" ] && { [ "$change" != genesis ] || [ -n "$previous" ]; }; then
            problems="$problems; the first governance entry is not a genesis"
          elif [ "$entry" != "$genesis" ] && [ "$change" = genesis ]; then
            problems="$problems; a second genesis"
          fi
          : > "$work/new"   # the keys this entry lists
          while IFS= read -r key; do
            check "$entry" "a key of predicate.member" "$re_key" "$key"
            id=$(printf '%s' "$key" | base64 -d | tail -c 32 | sha256sum | cut -d' ' -f1)
            printf '%s' "$key" | base64 -d | tail -c 32 > "$work/keys/$id.raw"
            printf -- '-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n' "$key" > "$work/keys/$id.pem"
            owner=$(grep -m1 "^$id " "$work/keys.txt" | cut -d' ' -f2)
            if [ -n "$owner" ] && [ "$owner" != "$member" ]; then problems="$problems; key ${id:0:16}… is already $owner's"; fi
            echo "$id $member" >> "$work/new"
          done < "$work/listed"
          signatures "$entry"
          signers=""
          while IFS=$'\x1f' read -r sig keyid; do
            if [ -z "$keyid" ]; then  # no keyid: the key of the maker, or one the entry lists, that verifies
              mapfile -t candidates < <(awk -v p="$party" '$2 == p { print $1 }' "$work/keys.txt"; cut -d' ' -f1 "$work/new")
              keyid=$(signer_of "$sig" "${candidates[@]}")
            fi
            owner=""
            [ -n "$keyid" ] && owner=$(grep -h -m1 "^$keyid " "$work/keys.txt" "$work/new" | head -1 | cut -d' ' -f2)
            if [ -z "$keyid" ]; then
              problems="$problems; a signature names no key and verifies with no key of $party nor one the entry lists"
            elif [ -z "$owner" ]; then
              problems="$problems; signed by key ${keyid:0:16}…, which is no member's and not one the entry lists"
            elif [ "$owner" != "$party" ] && ! grep -q "^$keyid " "$work/new"; then
              problems="$problems; signed by a key of $owner, who is not $party"
            elif ! verifies "$keyid" "$sig"; then
              problems="$problems; the signature by key ${keyid:0:16}… ($owner) does not verify"
            else
              signers="$signers, $owner"
            fi
          done < "$work/signatures"
          case ", ${signers#, }," in *", $party,"*) ;; *) problems="$problems; no valid signature by a key of $party" ;; esac
          if [ -z "$problems" ]; then
            cat "$work/new" >> "$work/keys.txt"
            echo "OK: $entry: $what, signed by ${signers#, }"
          else
            echo "FAILED: $entry ($what): ${problems#; }"
          fi
        done
        echo "The genesis $genesis has SHA-256 $(sha256sum "$genesis" | cut -d' ' -f1); the keys collected:"
        cat "$work/keys.txt"
        ```

        Compare the genesis's SHA-256 (or the keys) with ones obtained from the consortium itself.


        """#

    /// Section 3: each case entry's one signature.
    static let signatures = #"""
        ## 3. Every case entry's signature

        A case entry carries one signature, by a key the governance entries gave the party its
        predicate names (the one its `keyid` names, or, when it names none, the one that verifies).

        ```sh
        for entry in data/entries/*.dsse.json; do
          pae "$entry"
          value party "$work/payload" .predicate.party "$re_party" "$entry"
          value step "$work/payload" .predicate.step "$re_party" "$entry"
          value decision "$work/payload" .predicate.decision '^(open|approve|reject|auto|expire|attach|withdraw)$' "$entry"
          value signed "$work/payload" .predicate.signedAt "$re_time" "$entry"
          what="$step $decision by $party at $signed"
          signatures "$entry"
          IFS=$'\x1f' read -r sig keyid < "$work/signatures"
          if [ -z "$keyid" ]; then  # no keyid: each key the governance entries give the party, until one verifies
            mapfile -t candidates < <(awk -v p="$party" '$2 == p { print $1 }' "$work/keys.txt")
            keyid=$(signer_of "$sig" "${candidates[@]}")
          fi
          owner=""
          [ -n "$keyid" ] && owner=$(grep -m1 "^$keyid " "$work/keys.txt" | cut -d' ' -f2)
          if [ "$(wc -l < "$work/signatures")" -eq 1 ] && [ -n "$owner" ] && [ "$owner" = "$party" ] &&
             verifies "$keyid" "$sig"; then
            echo "OK: $entry: $what, signed with $owner's key ${keyid:0:16}…"
          else
            echo "FAILED: $entry: not signed by a key the governance entries give $party ($what)"
          fi
        done
        ```


        """#

    /// Section 4: the pipeline version's files, and the chain of `previous` hashes.
    static let versionAndChain = #"""
        ## 4. The pipeline version and the case chain

        Every case entry names its pipeline version, `pipelineDigest`: the SHA-256 of the listing
        `sha256sum` prints for the version's files in `data/`, `pipeline.yaml` first, in the order
        the governance entry proposing the version lists them as its subjects (that entry's
        `predicate.pipeline.version` is the same digest). Each entry also names the leaf hash
        `SHA-256(0x00 || entry bytes)` of the case's previous entry (the first, which opens the case,
        names none), so no entry can be removed, added or moved unnoticed.

        ```sh
        entries=(data/entries/*.dsse.json)
        payload "${entries[0]}"
        value version "$work/payload" .predicate.pipelineDigest '^sha256:[0-9a-f]{64}$' "${entries[0]}"
        proposal=""
        for entry in data/governance/*.dsse.json; do
          payload "$entry"
          value proposed "$work/payload" .predicate.pipeline.version '^$|^sha256:[0-9a-f]{64}$' "$entry"
          if [ -z "$proposal" ] && [ "$proposed" = "$version" ]; then
            proposal=$entry
            rows "$work/subjects" "$work/payload" '.subject[] | [.digest.sha256, .name]' "$entry"
            : > "$work/named"; files=()
            while IFS=$'\x1f' read -r digest name; do
              check "$entry" "a subject's digest" "$re_hex" "$digest"
              check "$entry" "a subject's name" "$re_path" "$name"
              printf '%s  %s\n' "$digest" "$name" >> "$work/named"
              files+=("$name")
            done < "$work/subjects"
          fi
        done
        if [ -z "$proposal" ]; then
          echo "FAILED: no governance entry in data/governance/ proposes pipeline version $version"
        else
          (cd data && sha256sum -- "${files[@]}") > "$work/actual" 2> /dev/null
          digest="sha256:$(sha256sum < "$work/actual" | cut -d' ' -f1)"
          changed=$(grep -vxF -f "$work/actual" "$work/named" | cut -d' ' -f3- | sed 's|^|data/|' | paste -sd ' ' -)
          if [ "$digest" = "$version" ] && [ -z "$changed" ]; then
            echo "OK: the ${#files[@]} files of pipeline version $version hash to it, as $proposal lists them"
          else
            echo "FAILED: the files of pipeline version $version hash to $digest; not as $proposal lists them: $changed"
          fi
        fi
        previous=""
        for entry in data/entries/*.dsse.json; do
          payload "$entry"
          value named "$work/payload" .predicate.previous "^$|$re_hex" "$entry"
          value digest "$work/payload" .predicate.pipelineDigest '^sha256:[0-9a-f]{64}$' "$entry"
          if [ "$named" = "$previous" ] && [ "$digest" = "$version" ]; then
            echo "OK: $entry follows the case's previous entry, under the case's pipeline version"
          else
            echo "FAILED: $entry: its previous entry or its pipeline version does not match"
          fi
          previous=$( (printf '\0'; cat "$entry") | openssl dgst -sha256 -r | cut -d' ' -f1)
        done
        ```


        """#

    /// Section 5: every document's fingerprint (and, for revision 2, its exact bytes).
    static let documents = #"""
        ## 5. The documents

        A document's fingerprint is the SHA-256 of its exclusive XML canonical form without comments;
        each entry signs the fingerprints of the documents it attaches. A revision-2 entry
        (`step/v2`) lists every document of the case among its subjects and names those it attaches
        in `.predicate.attaches`, with the SHA-256 of their exact bytes, which is checked too.

        ```sh
        for entry in data/entries/*.dsse.json; do
          index=$(basename "$entry" .dsse.json)
          check "$entry" "the index of its name" "$re_index" "$index"
          payload "$entry"
          rows "$work/subjects" "$work/payload" '
            if .predicate.attaches == null then .subject[] | [.name, .digest.sha256, "-"]
            else .subject as $s | .predicate.attaches[] | .name as $n
              | [$n, ([$s[] | select(.name == $n) | .digest.sha256][0] // ""), .sha256] end' "$entry"
          while IFS=$'\x1f' read -r name digest bytes; do
            check "$entry" "a document name" "$re_document" "$name"
            check "$entry" "a document's fingerprint" "^$|$re_hex" "$digest"
            check "$entry" "a document's SHA-256" "^-$|$re_hex" "$bytes"
            file="data/documents/$name@$index.xml"; [ -f "$file" ] || file="data/documents/$name.xml"
            actual=$(xmlstarlet c14n --exc-without-comments "$file" < /dev/null | sha256sum | cut -d' ' -f1)
            exact=$(sha256sum < "$file" | cut -d' ' -f1)
            if [ "$actual" = "$digest" ] && { [ "$bytes" = - ] || [ "$exact" = "$bytes" ]; }; then
              echo "OK: $file is the '$name' that entry $index signs"
            else
              echo "FAILED: $file: its fingerprint is sha256:$actual (bytes $exact), but entry $index signs sha256:$digest (bytes $bytes)"
            fi
          done < "$work/subjects"
        done
        ```


        """#
}
