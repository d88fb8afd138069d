/// `data/VERIFY.md` of a bundle: how a regulator checks the bag with standard tools alone — bash,
/// coreutils, `openssl` 3, `jq` and `xmlstarlet` — without Countersign. Every `sh` block is real
/// shell that works on any Countersign bundle; the tests run them.
///
/// Keys come from the governance entries in `data/governance/`, each checked in log order before
/// the keys it brings in are used; `data/parties/` is for people to read and is never consulted.
/// Its last section bounds each entry's log time (`data/log-times.txt`) by the checkpoints of the
/// bag and their witnesses' cosignature times. Every value a block reads from the bag is checked
/// for its shape (digits, RFC 3339, base64) before it is used, and every variable is quoted.
public enum VerifyGuide {
    /// The guide for a bundle of `entries` case entries and `governanceEntries` governance entries
    /// of `caseID`, proved in `checkpoint`, resting on the genesis whose envelope hashes to `genesis`,
    /// with `bracketingCheckpoints` earlier checkpoints, of a consortium whose clock is `clock`.
    public static func markdown(
        caseID: String,
        pipeline: Pipeline,
        checkpoint: Checkpoint,
        entries: Int,
        governanceEntries: Int,
        genesis: Digest?,
        bracketingCheckpoints: Int = 0,
        clock: ConsortiumSettings.Clock? = nil
    ) -> String {
        intro(
            caseID: caseID,
            pipeline: pipeline,
            checkpoint: checkpoint,
            entries: entries,
            governanceEntries: governanceEntries,
            genesis: genesis,
            bracketingCheckpoints: bracketingCheckpoints,
            clock: clock
        ) + bag + governance + signatures + versionAndChain + documents + inclusion + checkpointSignatures + times
            + limits
    }

    private static func intro(
        caseID: String,
        pipeline: Pipeline,
        checkpoint: Checkpoint,
        entries: Int,
        governanceEntries: Int,
        genesis: Digest?,
        bracketingCheckpoints: Int,
        clock: ConsortiumSettings.Clock?
    ) -> String {
        let genesisText = genesis.map { "sha256:" + $0.hex } ?? "(none)"
        let earlier =
            bracketingCheckpoints == 0
            ? "no earlier checkpoint brackets them" : "\(bracketingCheckpoints) earlier checkpoints bracket them"
        let clockText =
            clock == .simulated
            ? "\nThis consortium's clock is **simulated** (a demo or test): every time in this bag was set by\n"
                + "whoever ran the commands, so the times prove nothing.\n"
            : ""
        return #"""
            # Verifying the audit bundle of case `\#(caseID)`

            This folder is a BagIt bag (RFC 8493). It holds everything needed to check case `\#(caseID)`
            of pipeline `\#(pipeline.id)` (\#(pipeline.title)) offline: its \#(entries) signed ledger
            entries, the documents they attach, the \#(governanceEntries) governance entries of the
            consortium that the case rests on (who the parties are and which keys they hold, who signs
            the log, which pipeline version is in force), the files of the pipeline version, and a
            proof that every one of those entries is in the transparency log `\#(checkpoint.origin)`,
            whose signed checkpoint of \#(checkpoint.size) entries is `data/checkpoint.txt`; the log
            time of every entry, when the log received it (\#(earlier)). The pipeline version is

                \#(pipeline.versionName)

            Every key below comes from the governance entries, starting from the consortium's genesis
            entry: `data/governance/` holds it first, and the SHA-256 of its file is

                \#(genesisText)

            Compare that hash, or the log's key, with ones the consortium published: whoever rewrites
            a whole bundle can found a consortium of their own and re-sign everything.
            \#(clockText)

            With Countersign, one command makes every check below and more:

                countersign verify-bundle DIR                  # rooted in the bundle's own genesis
                countersign verify-bundle DIR --trust FILE     # pinned: lines `genesis sha256:HEX`, `log VKEY`, `witness NAME VKEY`

            Without it, the blocks below make the same checks with standard tools: GNU bash, sed and
            coreutils (`sha512sum`, `sha256sum`, `base64`, `od`), `openssl` 3, `jq` and `xmlstarlet`. Run them in
            order, in one bash shell, from the bag's top folder (the one holding `bagit.txt`). Each check
            prints `OK: ...` or `FAILED: ...`.

            | path | what it is |
            |---|---|
            | `data/governance/INDEX.dsse.json` | each governance entry the case rests on: a DSSE envelope of an in-toto statement (predicate `https://countersign.dev/governance/v1`), named by its log index; the first is the genesis |
            | `data/entries/INDEX.dsse.json` | each entry of the case: a DSSE envelope (Ed25519) of an in-toto statement, named by its log index |
            | `data/proofs/INDEX.tlog-proof` | C2SP tlog-proof: the inclusion proof in the checkpoint of the entry (case or governance) with that index |
            | `data/checkpoint.txt` | the log's signed checkpoint (C2SP signed note), with any witness cosignatures; its `countersign.dev/log-time` line is the log time of its newest entry |
            | `data/log-times.txt` | one line per entry of the bag, `INDEX TIME`: its log time (RFC 3339 UTC), not signed by itself but bounded by the checkpoints |
            | `data/checkpoints/SIZE.txt` | an earlier checkpoint of the log, of SIZE entries, with its cosignatures: the newest the log signed before it received a case entry, or the oldest that includes one |
            | `data/checkpoints/SIZE.consistency` | the RFC 9162 consistency proof from that checkpoint to `data/checkpoint.txt`: `old SIZE`, `new SIZE`, then one base64 hash per line |
            | `data/pipeline.yaml`, `data/schemas/...` | the files of the pipeline version the case was opened under, at the paths its governance entry names; the version is the SHA-256 of their `sha256sum` listing |
            | `data/parties/PARTY.yaml` | the parties as the consortium holds them, rendered for people to read; not evidence, and not used below |
            | `data/documents/NAME.xml` | each document as the case holds it now; `NAME@INDEX.xml` is an older version, attached by entry INDEX and replaced later |
            | `data/report.html` | a timeline for people to read; a rendering, not evidence |


            """#
    }

    private static let bag = #"""
        ## 1. The bag is complete and unchanged

        ```sh
        work=$(mktemp -d)   # scratch files go here, never into the bag
        if sha512sum --quiet -c tagmanifest-sha512.txt && sha512sum --quiet -c manifest-sha512.txt; then
          echo "OK: every file matches the bag's manifests"
        else
          echo "FAILED: the bag's files do not match its manifests"
        fi
        ```

        The manifests only say which files belong; they are not signed. The checks below tie the
        contents to the people who signed them.


        """#

    private static let governance = #"""
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
        dsse_base64() {  # dsse_base64 < TEXT: decodes a DSSE base64 field, standard or URL-safe alphabet, padded or not
          local text
          text=$(tr -- '-_' '+/')
          case $(( ${#text} % 4 )) in 2) text="$text==" ;; 3) text="$text=" ;; esac
          printf '%s' "$text" | base64 -d
        }
        pae() {  # pae ENVELOPE: its decoded payload into $work/payload, the bytes its signatures cover into $work/pae
          local type
          type=$(jq -r .payloadType "$1")
          jq -r .payload "$1" | dsse_base64 > "$work/payload"
          { printf 'DSSEv1 %d %s %d ' "${#type}" "$type" "$(wc -c < "$work/payload")"; cat "$work/payload"; } > "$work/pae"
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
          party=$(jq -r .predicate.party "$work/payload")
          change=$(jq -r .predicate.change "$work/payload")
          what=$(jq -r '.predicate | .change + (if .member then " of \(.member.party) (\(.member.keys | length) key\(if (.member.keys | length) == 1 then "" else "s" end))" else "" end) + " by \(.party)"' "$work/payload")
          problems=""
          if [ "$entry" = "$genesis" ] && { [ "$change" != genesis ] || [ -n "$(jq -r .predicate.previous "$work/payload")" ]; }; then
            problems="$problems; the first governance entry is not a genesis"
          elif [ "$entry" != "$genesis" ] && [ "$change" = genesis ]; then
            problems="$problems; a second genesis"
          fi
          : > "$work/new"   # the keys this entry lists
          member=$(jq -r '.predicate.member.party // empty' "$work/payload")
          for key in $(jq -r '.predicate.member.keys[]?.ed25519' "$work/payload"); do
            id=$(printf '%s' "$key" | base64 -d | tail -c 32 | sha256sum | cut -d' ' -f1)
            printf '%s' "$key" | base64 -d | tail -c 32 > "$work/keys/$id.raw"
            printf -- '-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n' "$key" > "$work/keys/$id.pem"
            owner=$(grep -m1 "^$id " "$work/keys.txt" | cut -d' ' -f2)
            if [ -n "$owner" ] && [ "$owner" != "$member" ]; then problems="$problems; key ${id:0:16}… is already $owner's"; fi
            echo "$id $member" >> "$work/new"
          done
          signers=""
          while read -r sig keyid; do
            if [ -z "$keyid" ]; then  # no keyid: the key of the maker, or one the entry lists, that verifies
              mapfile -t candidates < <(awk -v p="$party" '$2 == p { print $1 }' "$work/keys.txt"; cut -d' ' -f1 "$work/new")
              keyid=$(signer_of "$sig" "${candidates[@]}")
            fi
            owner=""
            [[ $keyid =~ ^[0-9a-f]{64}$ ]] && owner=$(grep -h -m1 "^$keyid " "$work/keys.txt" "$work/new" | head -1 | cut -d' ' -f2)
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
          done < <(jq -r '.signatures[] | "\(.sig) \(.keyid // "")"' "$entry")
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

    private static let signatures = #"""
        ## 3. Every case entry's signature

        A case entry carries one signature, by a key the governance entries gave the party its
        predicate names (the one its `keyid` names, or, when it names none, the one that verifies).

        ```sh
        for entry in data/entries/*.dsse.json; do
          pae "$entry"
          party=$(jq -r .predicate.party "$work/payload")
          what=$(jq -r '.predicate | "\(.step) \(.decision) by \(.party) at \(.signedAt)"' "$work/payload")
          read -r sig keyid < <(jq -r '.signatures[0] | "\(.sig) \(.keyid // "")"' "$entry")
          if [ -z "$keyid" ]; then  # no keyid: each key the governance entries give the party, until one verifies
            mapfile -t candidates < <(awk -v p="$party" '$2 == p { print $1 }' "$work/keys.txt")
            keyid=$(signer_of "$sig" "${candidates[@]}")
          fi
          owner=""
          [[ $keyid =~ ^[0-9a-f]{64}$ ]] && owner=$(grep -m1 "^$keyid " "$work/keys.txt" | cut -d' ' -f2)
          if [ "$(jq '.signatures | length' "$entry")" -eq 1 ] && [ -n "$owner" ] && [ "$owner" = "$party" ] &&
             verifies "$keyid" "$sig"; then
            echo "OK: $entry: $what, signed with $owner's key ${keyid:0:16}…"
          else
            echo "FAILED: $entry: not signed by a key the governance entries give $party ($what)"
          fi
        done
        ```


        """#

    private static let versionAndChain = #"""
        ## 4. The pipeline version and the case chain

        Every case entry names its pipeline version, `pipelineDigest`: the SHA-256 of the listing
        `sha256sum` prints for the version's files in `data/`, `pipeline.yaml` first, in the order
        the governance entry proposing the version lists them as its subjects (that entry's
        `predicate.pipeline.version` is the same digest). Each entry also names the leaf hash
        `SHA-256(0x00 || entry bytes)` of the case's previous entry (the first, which opens the case,
        names none), so no entry can be removed, added or moved unnoticed.

        ```sh
        entries=(data/entries/*.dsse.json)
        version=$(jq -r .payload "${entries[0]}" | dsse_base64 | jq -r .predicate.pipelineDigest)
        proposal=""
        for entry in data/governance/*.dsse.json; do
          jq -r .payload "$entry" | dsse_base64 > "$work/payload"
          if [ -z "$proposal" ] && [ "$(jq -r '.predicate.pipeline.version // empty' "$work/payload")" = "$version" ]; then
            proposal=$entry
            jq -r '.subject[] | "\(.digest.sha256)  \(.name)"' "$work/payload" > "$work/named"
            mapfile -t files < <(jq -r '.subject[].name' "$work/payload")
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
          jq -r .payload "$entry" | dsse_base64 > "$work/payload"
          if [ "$(jq -r .predicate.previous "$work/payload")" = "$previous" ] &&
             [ "$(jq -r .predicate.pipelineDigest "$work/payload")" = "$version" ]; then
            echo "OK: $entry follows the case's previous entry, under the case's pipeline version"
          else
            echo "FAILED: $entry: its previous entry or its pipeline version does not match"
          fi
          previous=$( (printf '\0'; cat "$entry") | openssl dgst -sha256 -r | cut -d' ' -f1)
        done
        ```


        """#

    private static let documents = #"""
        ## 5. The documents

        A document's fingerprint is the SHA-256 of its exclusive XML canonical form without comments;
        each entry signs the fingerprints of the documents it attaches. A revision-2 entry
        (`step/v2`) lists every document of the case among its subjects and names those it attaches
        in `.predicate.attaches`, with the SHA-256 of their exact bytes, which is checked too.

        ```sh
        for entry in data/entries/*.dsse.json; do
          index=$(basename "$entry" .dsse.json)
          jq -r .payload "$entry" | dsse_base64 | jq -r '
            if .predicate.attaches == null then .subject[] | "\(.name) \(.digest.sha256) -"
            else .subject as $s | .predicate.attaches[] | .name as $n
              | "\($n) \([$s[] | select(.name == $n) | .digest.sha256][0]) \(.sha256)" end' > "$work/subjects"
          while read -r name digest bytes; do
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

    private static let inclusion = #"""
        ## 6. Every entry is in the log

        Governance entries and case entries are in the same log. A proof holds the entry's index, its
        RFC 9162 inclusion path (one base64 hash per line) and, after a blank line, the checkpoint.
        This walks the path from the entry's leaf hash to the root (RFC 9162 §2.1.3.2) and compares
        the proof's checkpoint with `data/checkpoint.txt`.

        ```sh
        merkle_node() { { printf '\1'; printf '%s' "$1" | base64 -d; printf '%s' "$2" | base64 -d; } | openssl dgst -sha256 -binary | base64; }
        for entry in data/governance/*.dsse.json data/entries/*.dsse.json; do
          index=$(basename "$entry" .dsse.json)
          proof="data/proofs/$index.tlog-proof"
          fn=$(sed -n 's/^index //p' "$proof" 2> /dev/null)
          size=$(sed -n '/^$/{n;n;p;q}' "$proof" 2> /dev/null)
          if ! [[ $index =~ ^[0-9]+$ && $fn =~ ^[0-9]+$ && $size =~ ^[0-9]+$ ]] || [ "$fn" -ne "$((10#$index))" ]; then
            echo "FAILED: $proof is missing or is not the proof of entry $index"
            continue
          fi
          sn=$((size - 1))
          root=$(sed -n '/^$/{n;n;n;p;q}' "$proof")
          r=$( (printf '\0'; cat "$entry") | openssl dgst -sha256 -binary | base64)
          for p in $(sed -n '/^index /,/^$/{/^index /d;/^$/d;p;}' "$proof"); do
            if [ $((fn & 1)) -eq 1 ] || [ "$fn" -eq "$sn" ]; then
              r=$(merkle_node "$p" "$r")
              while [ $((fn & 1)) -eq 0 ] && [ "$fn" -ne 0 ]; do fn=$((fn >> 1)); sn=$((sn >> 1)); done
            else
              r=$(merkle_node "$r" "$p")
            fi
            fn=$((fn >> 1)); sn=$((sn >> 1))
          done
          if [ "$r" = "$root" ] && [ "$sn" -eq 0 ] && sed '1,/^$/d' "$proof" | cmp -s - data/checkpoint.txt; then
            echo "OK: $entry is in the log's tree of $(sed -n 2p data/checkpoint.txt) entries"
          else
            echo "FAILED: $proof does not lead from $entry to the root of data/checkpoint.txt"
          fi
        done
        ```


        """#

    private static let checkpointSignatures = #"""
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
        founded=$(jq -r .payload "${governance[0]}" | dsse_base64 | jq -r '.predicate.consortium.origin // empty')
        : > "$work/cosigned"   # one "SIZE WITNESS TIME SECONDS" line per valid cosignature
        checkpoint_signatures() {  # checkpoint_signatures FILE PREFIX: checks each signature line of a checkpoint; sets $logsigned
          local file=$1 prefix=$2 size origin logsigner="" policy="" entry index signer dash name signature
          local linekey party type time at what key valid id owner hash
          logsigned=""
          size=$(sed -n 2p "$file")
          if ! [[ $size =~ ^[1-9][0-9]{0,17}$ ]]; then
            echo "FAILED: $file has no valid tree size"
            return
          fi
          for entry in "${governance[@]}"; do
            index=$(basename "$entry" .dsse.json)
            [[ $index =~ ^[0-9]{1,18}$ ]] && [ "$((10#$index))" -lt "$size" ] || continue
            signer=$(jq -r .payload "$entry" | dsse_base64 | jq -r '.predicate.policy.log // empty')
            if [ -n "$signer" ]; then logsigner=$signer; policy=$entry; fi
          done
          origin=$(head -1 "$file")
          sed '/^$/,$d' "$file" > "$work/note"
          sed '1,/^$/d' "$file" | grep '^— ' > "$work/signatures"
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
              [[ $time =~ ^[0-9]{1,19}$ ]] && at=$(date -u -d "@$time" +%Y-%m-%dT%H:%M:%SZ 2> /dev/null)
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

    private static let times = #"""
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
          [[ $1 =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$ ]] || return 1
          seconds=$(date -u -d "$1" +%s 2> /dev/null) && [[ $seconds =~ ^-?[0-9]+$ ]] || return 1
          [ "$(date -u -d "@$seconds" +%Y-%m-%dT%H:%M:%SZ)" = "$1" ] && printf '%s' "$seconds"
        }
        checkpoint_time() {  # checkpoint_time FILE: the time on the one log-time line of the checkpoint's text
          local lines
          lines=$(sed '/^$/,$d' "$1" | sed -n '4,$p' | sed -n 's/^countersign\.dev\/log-time //p')
          [ -n "$lines" ] && [ "$(printf '%s\n' "$lines" | wc -l)" -eq 1 ] && printf '%s' "$lines"
        }
        consistent() {  # consistent PROOF OLD-SIZE OLD-ROOT NEW-SIZE NEW-ROOT: RFC 9162 §2.1.4.2
          local first=$2 second=$4 fn sn fr sr c path=()
          [ "$(sed -n 1p "$1")" = countersign.dev/consistency-proof@v1 ] && [ "$(sed -n 2p "$1")" = "old $first" ] &&
            [ "$(sed -n 3p "$1")" = "new $second" ] && [ "$first" -gt 0 ] && [ "$first" -lt "$second" ] || return 1
          mapfile -t path < <(sed -n '4,$p' "$1")
          for c in "${path[@]}"; do [[ $c =~ ^[A-Za-z0-9+/]{43}=$ ]] || return 1; done
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
        clock=$(jq -r .payload "${governance[0]}" | dsse_base64 | jq -r '.predicate.consortium.clock // empty')
        [ "$clock" = simulated ] && echo "NOTE: this consortium's clock is simulated (a demo or test): the times below prove nothing"
        main=$(sed -n 2p data/checkpoint.txt); mainroot=$(sed -n 3p data/checkpoint.txt)
        : > "$work/times"   # one "SIZE SECONDS TIME" line per checkpoint whose log time counts
        if [ ! -e data/log-times.txt ] && ! checkpoint_time data/checkpoint.txt > /dev/null; then
          echo "NOTE: the bag records no log times (the log kept none then): nothing bounds when its entries reached the log"
        elif ! [[ $main =~ ^[1-9][0-9]{0,17}$ && $mainroot =~ ^[A-Za-z0-9+/]{43}=$ ]] || ! t=$(checkpoint_time data/checkpoint.txt) ||
             ! s=$(rfc3339 "$t"); then
          echo "FAILED: data/checkpoint.txt states no valid tree size, root or log time (one countersign.dev/log-time line)"
        else
          echo "$main $s $t" >> "$work/times"
          read -ra listed < <(sed -n 's/^Countersign-Bracketing-Checkpoints: //p' bag-info.txt)
          for size in "${listed[@]}"; do
            found=""
            for file in data/checkpoints/*.txt; do
              n=$(basename "$file" .txt)
              [[ $n =~ ^[0-9]{1,18}$ ]] && [ "$size" = "$((10#$n))" ] && found=yes
            done
            [[ $size =~ ^[0-9]{1,18}$ ]] && [ -n "$found" ] ||
              echo "FAILED: bag-info.txt lists bracketing checkpoint $size, which data/checkpoints/ does not hold"
          done
          for file in data/checkpoints/*.txt; do
            [ -e "$file" ] || continue
            size=$(basename "$file" .txt); root=$(sed -n 3p "$file")
            if ! [[ $size =~ ^[0-9]{1,18}$ && $root =~ ^[A-Za-z0-9+/]{43}=$ ]] || [ "$(sed -n 2p "$file")" != "$((10#$size))" ]; then
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
          while read -r index time rest <&3 || [ -n "$index" ]; do
            if ! [[ $index =~ ^[0-9]{1,18}$ ]] || [ -n "$rest" ] || ! seconds=$(rfc3339 "$time"); then
              printf 'FAILED: data/log-times.txt: "%s %s" is not INDEX TIME (digits, RFC 3339 UTC)\n' "$index" "$time"
              continue
            fi
            file="data/entries/$index.dsse.json"; [ -f "$file" ] || file="data/governance/$index.dsse.json"
            if [ ! -f "$file" ]; then
              echo "NOTE: data/log-times.txt gives a log time to entry $index, which the bag does not hold; ignored"
              continue
            fi
            n=$((10#$index))
            what=$(jq -r .payload "$file" | dsse_base64 | jq -r '.predicate | if .step == null then .change elif .step == .decision then .step else "\(.step) \(.decision)" end + " by \(.party)"' | tr -d '[:cntrl:]')
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
            [[ $index =~ ^[0-9]{1,18}$ ]] && grep -q "^$index " "$times" ||
              echo "FAILED: data/log-times.txt gives $entry no log time"
          done
        fi
        rm -rf "$work"
        ```

        Read an `OK` line as: the log received the entry at the time shown, by its own clock; the log
        had signed the first checkpoint named before that, and the second after, and each witness named
        cosigned that checkpoint at the time shown — so the entry reached the log before the earliest
        time a witness cosigned a checkpoint that includes it, on that witness's word.


        """#

    private static let limits = #"""
        ## What these commands do not check

        `countersign verify-bundle` checks these; the shell above does not:

        - Whether each governance change was in force: that the party making it had the right to (an
          admin, or the party itself), that a proposal gathered the approvals the policy's quorum
          requires before its keys or pipeline version counted, and that a policy entry was approved
          before its log signer counted. The shell accepts every key and version a validly signed
          governance entry lists, and takes the log signer from the newest entry in the bundle that
          carries a policy, approved or not.
        - Revocations (`revoke` entries) and each key's validity window (`since`, `until`) at the
          entry's log time: a key is taken as good for every entry once collected.
        - That each signer was allowed to sign its step and that each step was ready when the log
          received it: the pipeline's `by`, `after`, `needs`, `if`, `require`, its expiry window and due
          dates, judged at each entry's log time. `countersign verify-bundle` replays the entries through
          the pipeline at their log times to check this.
        - The strict form of each envelope: `dsse_base64` also decodes a field that mixes the two
          base64 alphabets, and `jq` takes the last of two members of one name; Countersign refuses
          both, so no ledger holds such an entry, but a hand-made bag could.

        And no offline check, with Countersign or without, can tell:

        - Whose keys these are. Every key rests on the genesis in this bundle: whoever can rewrite the
          whole bundle can found a consortium of their own and re-sign everything. Compare the genesis's
          SHA-256, the log's key and the witnesses' keys with ones obtained independently, or pin them
          with `countersign verify-bundle DIR --trust FILE` (lines `genesis sha256:HEX`, `log VKEY`).
        - Governance entries left out of the bag: it carries only those the case rests on, and nothing
          signed lists them. Leaving out one that granted something (a signer's key, the version's
          proposal) fails a check; leaving out one that took something away (a revocation, a later
          policy) is not seen.
        - `data/report.html` and `data/parties/` are renderings, covered by the manifests only.
        - Entries appended to the case after the checkpoint are not in this bundle.
        - A log time is the log's own clock, vouched for by the log signer alone; witnesses' times bound
          it from above only (the entry was in the log when a witness cosigned a checkpoint including
          it). Earlier checkpoints left out of the bag (and out of `bag-info.txt`'s
          `Countersign-Bracketing-Checkpoints`) are not detectable: they only widen the intervals shown.

        """#
}
