import CountersignKit
import Foundation

/// What random sign-offs attach to cases of the example pipelines: the kinds of case the samples
/// make, and for every document name the candidates a careless signer might attach (the right
/// samples, copies edited to break a `require`, documents of another kind).
struct ExampleCases {
    /// One kind of case: the documents it is opened with and the right document for every name.
    struct Profile {
        let pipeline: Pipeline
        let name: String
        let opening: [DocumentUpload]
        let right: [String: DocumentUpload]
    }

    let profiles: [Profile]
    /// Candidates by pipeline id, then document name.
    let candidates: [String: [String: [DocumentUpload]]]
    /// Copies that break a rule, by pipeline id, then document name.
    let broken: [String: [String: [DocumentUpload]]]
    /// Bytes that are not XML at all.
    let garbage = DocumentUpload(name: "", bytes: Array("not <xml".utf8), source: "garbage")

    init(_ workspace: EngineWorkspace) throws {
        var profiles: [Profile] = []
        var candidates: [String: [String: [DocumentUpload]]] = [:]
        var broken: [String: [String: [DocumentUpload]]] = [:]

        let mortgage = workspace.pipelines["mortgage-approval"]!
        func mortgageSample(_ file: String, _ name: String) throws -> DocumentUpload {
            try workspace.sample(mortgage.id, file, as: name)
        }
        let small = try mortgageSample("application-small.xml", "application")
        let large = try mortgageSample("application-large.xml", "application")
        let valuation = try mortgageSample("valuation.xml", "valuation")
        let deedLarge = try mortgageSample("title-deed.xml", "title-deed")
        let deedSmall = Self.edited(deedLarge, "1160000", "640000")
        profiles += [
            Profile(
                pipeline: mortgage,
                name: "small loan",
                opening: [small],
                right: ["application": small, "valuation": valuation, "title-deed": deedSmall]
            ),
            Profile(
                pipeline: mortgage,
                name: "large loan",
                opening: [large],
                right: ["application": large, "valuation": valuation, "title-deed": deedLarge]
            ),
        ]
        broken[mortgage.id] = [
            "application": [Self.edited(large, ">1160000<", ">3160000<")],
            "valuation": [
                Self.edited(valuation, "1480000", "480000"), Self.edited(valuation, "12 Harbour", "21 Harbour"),
            ],
            "title-deed": [Self.edited(deedLarge, "1160000", "1170000")],
        ]
        candidates[mortgage.id] = Self.merge(
            ["application": [small, large], "valuation": [valuation], "title-deed": [deedSmall, deedLarge]],
            broken[mortgage.id]!,
            foreign: ["application": valuation, "valuation": deedLarge, "title-deed": small]
        )

        let lotto = workspace.pipelines["lotto-claim"]!
        func lottoSample(_ file: String, _ name: String) throws -> DocumentUpload {
            try workspace.sample(lotto.id, file, as: name)
        }
        let ticket = try lottoSample("ticket-winning.xml", "ticket")
        let ticketQLD = try lottoSample("ticket-winning-qld.xml", "ticket")
        let losing = try lottoSample("ticket-losing.xml", "ticket")
        let draw = try lottoSample("draw-result.xml", "draw-result")
        let claim = try lottoSample("claim-nsw.xml", "claim")
        let claimQLD = try lottoSample("claim-qld.xml", "claim")
        profiles += [
            Profile(
                pipeline: lotto,
                name: "winning ticket",
                opening: [ticket],
                right: ["ticket": ticket, "draw-result": draw, "claim": claim]
            ),
            Profile(
                pipeline: lotto,
                name: "winning QLD ticket",
                opening: [ticketQLD],
                right: ["ticket": ticketQLD, "draw-result": draw, "claim": claimQLD]
            ),
            Profile(
                pipeline: lotto,
                name: "losing ticket",
                opening: [losing],
                right: ["ticket": losing, "draw-result": draw, "claim": claim]
            ),
        ]
        broken[lotto.id] = [
            "ticket": [Self.edited(ticket, "<draw>4521<", "<draw>4522<")],
            "draw-result": [Self.edited(draw, "number=\"4521\"", "number=\"4522\"")],
            "claim": [Self.edited(claim, "NSW-4521-000817", "NSW-4521-000899")],
        ]
        candidates[lotto.id] = Self.merge(
            [
                // A ticket moved to another territory changes the case's claim window.
                "ticket": [ticket, ticketQLD, losing, Self.edited(ticket, ">NSW<", ">WA<")],
                "draw-result": [draw],
                "claim": [claim, claimQLD],
            ],
            broken[lotto.id]!,
            foreign: ["ticket": claim, "draw-result": ticket, "claim": draw]
        )

        let supply = workspace.pipelines["supply-chain"]!
        var right: [String: DocumentUpload] = [:]
        for name in supply.documents.map(\.name) {
            right[name] = try workspace.sample(supply.id, "\(name).xml", as: name)
        }
        profiles.append(
            Profile(pipeline: supply, name: "order", opening: [right["purchase-order"]!], right: right)
        )
        broken[supply.id] = [
            "purchase-order": [Self.edited(right["purchase-order"]!, "12 Harbour", "99 Dock")],
            "origin-certificate": [
                Self.edited(right["origin-certificate"]!, "<order-ref>PO-77120", "<order-ref>PO-77121")
            ],
            "packing-list": [Self.edited(right["packing-list"]!, "<quantity>120<", "<quantity>119<")],
            "bill-of-lading": [Self.edited(right["bill-of-lading"]!, "<packages>3<", "<packages>4<")],
            "delivery-receipt": [
                Self.edited(right["delivery-receipt"]!, "<cartons-received>3<", "<cartons-received>2<"),
                Self.edited(right["delivery-receipt"]!, "12 Harbour", "99 Dock"),
            ],
        ]
        candidates[supply.id] = Self.merge(
            right.mapValues { [$0] },
            broken[supply.id]!,
            foreign: [
                "bill-of-lading": right["packing-list"]!, "delivery-receipt": right["purchase-order"]!,
                "feedback": right["purchase-order"]!,
            ]
        )

        self.profiles = profiles
        self.candidates = candidates
        self.broken = broken
    }

    /// Every candidate document's file and edit, by fingerprint digest, for failure messages.
    var labels: [Digest: String] {
        var labels: [Digest: String] = [:]
        for upload in candidates.values.flatMap(\.values).flatMap({ $0 }) {
            if let digest = try? XMLDocument(bytes: upload.bytes, source: upload.source).fingerprint().digest {
                labels[digest] = URL(fileURLWithPath: upload.source).lastPathComponent
            }
        }
        return labels
    }

    /// A copy of `upload` with the first `find` replaced by `replacement`.
    static func edited(_ upload: DocumentUpload, _ find: String, _ replacement: String) -> DocumentUpload {
        let text = String(decoding: upload.bytes, as: UTF8.self)
        guard let range = text.range(of: find) else { preconditionFailure("\(upload.source) has no \(find)") }
        return DocumentUpload(
            name: upload.name,
            bytes: Array(text.replacingCharacters(in: range, with: replacement).utf8),
            source: "\(upload.source) with \(replacement)"
        )
    }

    /// Right samples, broken copies and one foreign document (renamed) per name.
    private static func merge(
        _ right: [String: [DocumentUpload]],
        _ broken: [String: [DocumentUpload]],
        foreign: [String: DocumentUpload]
    ) -> [String: [DocumentUpload]] {
        var result = right.merging(broken) { $0 + $1 }
        for (name, upload) in foreign {
            result[name, default: []].append(DocumentUpload(name: name, bytes: upload.bytes, source: upload.source))
        }
        return result.mapValues { uploads in uploads.sorted { $0.source < $1.source } }
    }
}
