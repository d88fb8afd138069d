import ArgumentParsing

/// The options every command takes, before or after the command (CLI.md "Global options").
enum GlobalOptions {
    static let specs: [ArgumentSpec] = [
        .option(
            "workspace",
            value: "DIR",
            environment: "COUNTERSIGN_WORKSPACE",
            help: "folder holding pipelines/, parties/ and out/ (default: .)"
        ),
        .option(
            "ledger",
            value: "URL",
            environment: "COUNTERSIGN_LEDGER",
            help: "sqlite:PATH or postgres://user@host:port/db (default: sqlite:out/ledger.sqlite)"
        ),
        .option(
            "now",
            value: "TIME",
            environment: "COUNTERSIGN_NOW",
            help: "RFC 3339 UTC time the command acts at (default: the system clock)"
        ),
        .option(
            "orchestrator-key",
            value: "FILE",
            environment: "COUNTERSIGN_ORCHESTRATOR_KEY",
            help: "key for automatic entries (default: out/keys/PARTY.pem of the orchestrator)"
        ),
        .option(
            "origin",
            value: "NAME",
            environment: "COUNTERSIGN_LOG_ORIGIN",
            help: "the log's C2SP origin line, fixed in the genesis by consortium init (default: countersign.local/ "
                + "+ workspace folder name); every other command reads it from the genesis"
        ),
        .flag("json", help: "machine-readable output on stdout (one JSON document)"),
        .flag("quiet", short: "q", help: "only errors on stderr"),
    ]
}
