/// `data/VERIFY.md` of a bundle: how a regulator checks the bag with standard tools alone — bash,
/// coreutils, `openssl` 3, `jq` and `xmlstarlet` — without Countersign. Every `sh` block is real
/// shell that works on any Countersign bundle; the tests run them.
///
/// Keys come from the governance entries in `data/governance/`, each checked in log order before
/// the keys it brings in are used; `data/parties/` is for people to read and is never consulted.
/// Section 8 bounds each entry's log time (`data/log-times.txt`) by the checkpoints of the bag and
/// their witnesses' cosignature times; section 9 proves from `data/case-head.proof` that the bag
/// holds the whole case as of its checkpoint (docs/CASE-MAP.md).
///
/// A bag is hostile until checked: every value a block reads from it (file names, indexes, sizes,
/// hashes, keys, ids, times) is matched against a strict pattern before it is used, every variable
/// is quoted, nothing read is evaluated or word-split, and the first malformed value prints
/// `FAILED:` and ends the shell (`fail`), so no `OK` follows it. The sections are split over
/// `VerifyGuide+*.swift`, one file per group of sections.
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
            + caseHead + limits
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
            order, in one new bash shell started in the bag's top folder (the one holding `bagit.txt`). Each
            check prints `OK: ...` or `FAILED: ...`; a malformed value prints `FAILED: ...` and ends that
            shell, so that nothing an attacker wrote into the bag is ever run or believed.

            | path | what it is |
            |---|---|
            | `data/governance/INDEX.dsse.json` | each governance entry the case rests on: a DSSE envelope of an in-toto statement (predicate `https://countersign.dev/governance/v1`), named by its log index; the first is the genesis |
            | `data/entries/INDEX.dsse.json` | each entry of the case: a DSSE envelope (Ed25519) of an in-toto statement, named by its log index |
            | `data/proofs/INDEX.tlog-proof` | C2SP tlog-proof: the inclusion proof in the checkpoint of the entry (case or governance) with that index |
            | `data/checkpoint.txt` | the log's signed checkpoint (C2SP signed note), with any witness cosignatures; its `countersign.dev/log-time` line is the log time of its newest entry |
            | `data/log-times.txt` | one line per entry of the bag, `INDEX TIME`: its log time (RFC 3339 UTC), not signed by itself but bounded by the checkpoints |
            | `data/checkpoints/SIZE.txt` | an earlier checkpoint of the log, of SIZE entries, with its cosignatures: the newest the log signed before it received a case entry, or the oldest that includes one |
            | `data/case-head.proof` | the case's head in the checkpoint's case map (its entry count, newest entry and outcome), with the map path to the checkpoint's `countersign.dev/case-map` root |
            | `data/checkpoints/SIZE.consistency` | the RFC 9162 consistency proof from that checkpoint to `data/checkpoint.txt`: `old SIZE`, `new SIZE`, then one base64 hash per line |
            | `data/pipeline.yaml`, `data/schemas/...` | the files of the pipeline version the case was opened under, at the paths its governance entry names; the version is the SHA-256 of their `sha256sum` listing |
            | `data/parties/PARTY.yaml` | the parties as the consortium holds them, rendered for people to read; not evidence, and not used below |
            | `data/documents/NAME.xml` | each document as the case holds it now; `NAME@INDEX.xml` is an older version, attached by entry INDEX and replaced later |
            | `data/report.html` | a timeline for people to read; a rendering, not evidence |


            """#
    }

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
        - The case's outcome: section 9 checks that the newest entry's decision fits the outcome the
          case-head proof states, not that the entries replay to it.

        The patterns of section 1 are stricter than some bags need: a file name, origin or key name
        outside them (a space in a schema's path or in the log's origin) is reported
        as malformed and ends the checks, though `countersign verify-bundle` may accept the bag.

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
        - Entries appended to the case after the checkpoint are not in this bundle: the case-head
          proof shows the whole case as of the checkpoint's tree size, no later.
        - A log time is the log's own clock, vouched for by the log signer alone; witnesses' times bound
          it from above only (the entry was in the log when a witness cosigned a checkpoint including
          it). Earlier checkpoints left out of the bag (and out of `bag-info.txt`'s
          `Countersign-Bracketing-Checkpoints`) are not detectable: they only widen the intervals shown.

        """#
}
