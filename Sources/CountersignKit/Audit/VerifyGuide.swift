/// `data/VERIFY.md` of a bundle: how a regulator checks the bag with standard tools alone — bash,
/// coreutils, `openssl` 3, `jq` and `xmlstarlet` — without Countersign. Every `sh` block is real
/// shell that works on any Countersign bundle; the tests run them.
public enum VerifyGuide {
    /// The guide for a bundle of `entries` entries of `caseID`, proved in `checkpoint`.
    public static func markdown(caseID: String, pipeline: Pipeline, checkpoint: Checkpoint, entries: Int) -> String {
        intro(caseID: caseID, pipeline: pipeline, checkpoint: checkpoint, entries: entries) + bagAndKeys + signatures
            + chainAndDocuments + inclusion + checkpointSignatures + limits
    }

    private static func intro(caseID: String, pipeline: Pipeline, checkpoint: Checkpoint, entries: Int) -> String {
        #"""
        # Verifying the audit bundle of case `\#(caseID)`

        This folder is a BagIt bag (RFC 8493). It holds everything needed to check case `\#(caseID)`
        of pipeline `\#(pipeline.id)` (\#(pipeline.title)) offline: its \#(entries) signed ledger
        entries, the documents they attach, the public keys of the parties, and a proof that every
        entry is in the transparency log `\#(checkpoint.origin)`, whose signed checkpoint of
        \#(checkpoint.size) entries is `data/checkpoint.txt`.

        With Countersign, one command makes every check below and more:

            countersign verify-bundle DIR                  # keys taken from the bundle itself
            countersign verify-bundle DIR --trust FILE     # log and witness keys pinned (C2SP tlog-policy lines)

        Without it, the blocks below make the same checks with standard tools: GNU bash, sed and
        coreutils (`sha512sum`, `sha256sum`, `base64`, `od`), `openssl` 3, `jq` and `xmlstarlet`. Run them in
        order, in one bash shell, from the bag's top folder (the one holding `bagit.txt`). Each check
        prints `OK: ...` or `FAILED: ...`.

        | path | what it is |
        |---|---|
        | `data/entries/INDEX.dsse.json` | each entry of the case: a DSSE envelope (Ed25519) of an in-toto statement, named by its log index |
        | `data/proofs/INDEX.tlog-proof` | C2SP tlog-proof: the entry's inclusion proof in the checkpoint |
        | `data/checkpoint.txt` | the log's signed checkpoint (C2SP signed note), with any witness cosignatures |
        | `data/pipeline.yaml` | the exact pipeline bytes the case was opened under (its SHA-256 is each entry's `pipelineDigest`) |
        | `data/schemas/...` | the XML Schemas the pipeline names (from the workspace when the bundle was made; not signed) |
        | `data/parties/PARTY.yaml` | the public keys of every party the case or pipeline names |
        | `data/documents/NAME.xml` | each document as the case holds it now; `NAME@INDEX.xml` is an older version, attached by entry INDEX and replaced later |
        | `data/report.html` | a timeline for people to read; a rendering, not evidence |

        """#
    }

    private static let bagAndKeys = #"""
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

        ## 2. The parties' public keys

        A party file lists Ed25519 keys as base64 of their SubjectPublicKeyInfo DER; an envelope names
        its signer's key by key id, the SHA-256 of the raw 32-byte key (the DER's last 32 bytes).

        ```sh
        for party in data/parties/*.yaml; do
          for key in $(sed -n 's/^[ -]*ed25519: *["'\'']\{0,1\}\([A-Za-z0-9+/=]*\).*/\1/p' "$party"); do
            id=$(printf '%s' "$key" | base64 -d | tail -c 32 | sha256sum | cut -d' ' -f1)
            printf -- '-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n' "$key" > "$work/$id.pem"
            echo "$id $(basename "$party" .yaml)" >> "$work/keys.txt"
          done
        done
        cat "$work/keys.txt"
        ```

        These keys come with the bundle. Before relying on them, compare the key ids with ones
        obtained from the parties themselves.


        """#

    private static let signatures = #"""
        ## 3. Every entry's signature

        DSSE signs the pre-authentication encoding
        `"DSSEv1" SP len(payloadType) SP payloadType SP len(payload) SP payload` of the decoded payload.

        ```sh
        for entry in data/entries/*.dsse.json; do
          keyid=$(jq -r '.signatures[0].keyid' "$entry")
          type=$(jq -r .payloadType "$entry")
          jq -r .payload "$entry" | base64 -d > "$work/payload"
          jq -r '.signatures[0].sig' "$entry" | base64 -d > "$work/sig"
          { printf 'DSSEv1 %d %s %d ' "${#type}" "$type" "$(wc -c < "$work/payload")"; cat "$work/payload"; } > "$work/pae"
          owner=$(grep "^$keyid " "$work/keys.txt" | cut -d' ' -f2)
          what=$(jq -r '.predicate | "\(.step) \(.decision) by \(.party) at \(.signedAt)"' "$work/payload")
          if [ -n "$owner" ] && [ "$owner" = "$(jq -r .predicate.party "$work/payload")" ] &&
             openssl pkeyutl -verify -pubin -inkey "$work/$keyid.pem" -rawin -in "$work/pae" -sigfile "$work/sig" >/dev/null
          then
            echo "OK: $entry: $what, signed with $owner's key"
          else
            echo "FAILED: $entry: the signature does not verify with the key of the party it names ($what)"
          fi
        done
        ```


        """#

    private static let chainAndDocuments = #"""
        ## 4. The case chain and the pipeline

        Each entry names the leaf hash `SHA-256(0x00 || entry bytes)` of the case's previous entry (the
        first, which opens the case, names none), so no entry can be removed, added or moved unnoticed;
        and each names the SHA-256 of the pipeline file.

        ```sh
        previous=""
        pipeline="sha256:$(sha256sum data/pipeline.yaml | cut -d' ' -f1)"
        for entry in data/entries/*.dsse.json; do
          jq -r .payload "$entry" | base64 -d > "$work/payload"
          if [ "$(jq -r .predicate.previous "$work/payload")" = "$previous" ] &&
             [ "$(jq -r .predicate.pipelineDigest "$work/payload")" = "$pipeline" ]; then
            echo "OK: $entry follows the case's previous entry, under data/pipeline.yaml"
          else
            echo "FAILED: $entry: its previous entry or its pipeline digest does not match"
          fi
          previous=$( (printf '\0'; cat "$entry") | openssl dgst -sha256 -r | cut -d' ' -f1)
        done
        ```

        ## 5. The documents

        A document's fingerprint is the SHA-256 of its exclusive XML canonical form without comments;
        each entry signs the fingerprints of the documents it attaches.

        ```sh
        for entry in data/entries/*.dsse.json; do
          index=$(basename "$entry" .dsse.json)
          jq -r .payload "$entry" | base64 -d | jq -r '.subject[] | "\(.name) \(.digest.sha256)"' > "$work/subjects"
          while read -r name digest; do
            file="data/documents/$name@$index.xml"; [ -f "$file" ] || file="data/documents/$name.xml"
            actual=$(xmlstarlet c14n --exc-without-comments "$file" < /dev/null | sha256sum | cut -d' ' -f1)
            if [ "$actual" = "$digest" ]; then
              echo "OK: $file is the '$name' that entry $index signs"
            else
              echo "FAILED: $file: its fingerprint is sha256:$actual, but entry $index signs sha256:$digest"
            fi
          done < "$work/subjects"
        done
        ```


        """#

    private static let inclusion = #"""
        ## 6. Every entry is in the log

        A proof holds the entry's index, its RFC 9162 inclusion path (one base64 hash per line) and,
        after a blank line, the checkpoint. This walks the path from the entry's leaf hash to the root
        (RFC 9162 §2.1.3.2) and compares the proof's checkpoint with `data/checkpoint.txt`.

        ```sh
        merkle_node() { { printf '\1'; printf '%s' "$1" | base64 -d; printf '%s' "$2" | base64 -d; } | openssl dgst -sha256 -binary | base64; }
        for proof in data/proofs/*.tlog-proof; do
          entry="data/entries/$(basename "$proof" .tlog-proof).dsse.json"
          fn=$(sed -n 's/^index //p' "$proof")
          sn=$(( $(sed -n '/^$/{n;n;p;q}' "$proof") - 1 ))
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

        The log signs the checkpoint text (every line before the blank line) with Ed25519: its
        signature line, named after the log's origin (the first line), carries a 4-byte key id and the
        64-byte signature. A witness line is a `cosignature/v1`: key id, an 8-byte big-endian time,
        and a signature over `cosignature/v1`, `time T` and the checkpoint text.

        ```sh
        origin=$(head -1 data/checkpoint.txt)
        sed '/^$/,$d' data/checkpoint.txt > "$work/note"
        grep '^— ' data/checkpoint.txt > "$work/signatures"
        while read -r dash name signature; do
          printf '%s' "$signature" | base64 -d > "$work/line"
          if [ "$name" = "$origin" ]; then
            tail -c +5 "$work/line" > "$work/sig"; cp "$work/note" "$work/signed"
            what="the log's signature"
          else
            time=$(tail -c +5 "$work/line" | head -c 8 | od -An -tu8 --endian=big | tr -d ' ')
            tail -c +13 "$work/line" > "$work/sig"
            { printf 'cosignature/v1\ntime %s\n' "$time"; cat "$work/note"; } > "$work/signed"
            what="the cosignature of witness $name at $(date -u -d "@$time" +%Y-%m-%dT%H:%M:%SZ)"
          fi
          signer=""
          for pem in "$work"/*.pem; do
            if openssl pkeyutl -verify -pubin -inkey "$pem" -rawin -in "$work/signed" -sigfile "$work/sig" >/dev/null 2>&1 < /dev/null; then
              signer=$(grep "^$(basename "$pem" .pem) " "$work/keys.txt" | cut -d' ' -f2)
            fi
          done
          if [ -n "$signer" ]; then
            echo "OK: $what verifies with the key of party $signer"
          else
            echo "FAILED: $what verifies with no key in data/parties/"
          fi
        done < "$work/signatures"
        rm -rf "$work"
        ```


        """#

    private static let limits = #"""
        ## What these commands do not check

        - Each key's validity window (`since`, `until` in the party file) at the entry's `signedAt`.
        - That each signer was allowed to sign its step and that each step was ready when signed: the
          pipeline's `by`, `after`, `needs`, `if` and `require`. `countersign verify-bundle` replays the
          entries through the pipeline to check this.
        - Whom the keys belong to. Every key here comes with the bundle, so whoever can rewrite the
          whole bundle can re-sign it with keys of their own. Compare the log's key, the witnesses' keys
          and the parties' key ids with ones obtained independently, or pin them with
          `countersign verify-bundle DIR --trust FILE`.
        - `data/report.html` and `data/schemas/` are covered by the manifests only, not by any signature.
        - Entries appended to the case after the checkpoint are not in this bundle.

        """#
}
