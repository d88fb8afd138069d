import CountersignKit
import Foundation
import Testing

@Suite("C2SP signed note")
struct SignedNoteTests {
    /// The example of c2sp.org/signed-note ("Verifier keys").
    static let specVKey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
    static let specNote =
        "This is an example message.\n\n"
        + "— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"

    /// The vectors of golang.org/x/mod/sumdb/note (note.go documentation and note_test.go).
    static let peterSKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    static let peterVKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    static let enochVKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
    static let text =
        "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    static let peterLine =
        "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
    static let enochLine =
        "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"

    @Test("the spec's verifier key and example note parse and verify")
    func specExample() throws {
        let verifier = try NoteVerifier(vkey: Self.specVKey)
        #expect(verifier.name == "example.com/foo")
        #expect(verifier.keyID == 0x530d_903a)
        #expect(verifier.type == .ed25519)
        #expect(verifier.publicKey.raw.hexString == "e932791ae6e7a840a46164c904786426d5e7821dd8b29a00d61cae72afdd4da4")
        #expect(verifier.vkey == Self.specVKey)

        let note = try SignedNote(parsing: Self.specNote)
        #expect(note.text == "This is an example message.\n")
        #expect(note.signatures.map(\.name) == ["example.com/foo"])
        #expect(note.signatures[0].keyID == 0x530d_903a)
        #expect(note.serialized == Self.specNote)
        #expect(try note.verify(with: [verifier]) == [verifier])
    }

    @Test("signing with the Go signer key reproduces its signature byte for byte")
    func goSigningVector() throws {
        let signer = try NoteSigner(skey: Self.peterSKey)
        #expect(signer.name == "PeterNeumann")
        #expect(signer.keyID == 0xc74f_20a3)
        #expect(signer.verifier.vkey == Self.peterVKey)
        #expect(signer.skey == Self.peterSKey)
        let note = try SignedNote.sign(text: Self.text, with: signer)
        #expect(note.serialized == Self.text + "\n" + Self.peterLine)
        #expect(try note.verify(with: [try NoteVerifier(vkey: Self.peterVKey)]).count == 1)
    }

    @Test("a new key pair round-trips through its key strings")
    func generatedKeys() throws {
        let signer = try NoteSigner(name: "countersign.example/log", key: try Ed25519PrivateKey())
        let reread = try NoteSigner(skey: signer.skey)
        #expect(reread.verifier == signer.verifier)
        #expect(try NoteVerifier(vkey: signer.verifier.vkey) == signer.verifier)
        let note = try SignedNote.sign(text: "hello\n", with: reread)
        #expect(try note.verify(with: [signer.verifier]) == [signer.verifier])
    }

    @Test("signatures by unknown keys are ignored but kept, in order")
    func unknownSignaturesKept() throws {
        let peter = try NoteVerifier(vkey: Self.peterVKey)
        let enoch = try NoteVerifier(vkey: Self.enochVKey)
        let serialized = Self.text + "\n" + Self.peterLine + Self.enochLine
        let note = try SignedNote(parsing: serialized)
        #expect(note.signatures.map(\.name) == ["PeterNeumann", "EnochRoot"])
        #expect(note.serialized == serialized)
        #expect(try note.verify(with: [peter]) == [peter])
        #expect(try note.verify(with: [enoch, peter]) == [peter, enoch])
        #expect(throws: LedgerFormatError.noteUnverified(signedBy: ["PeterNeumann+c74f20a3", "EnochRoot+af0cfe78"])) {
            try note.verify(with: [])
        }
    }

    @Test("a changed text or signature is refused")
    func tamper() throws {
        let peter = try NoteVerifier(vkey: Self.peterVKey)
        let changedText = try SignedNote(
            parsing: Self.text.replacingOccurrences(of: "answer", with: "Answer") + "\n" + Self.peterLine
        )
        #expect(throws: LedgerFormatError.noteSignatureInvalid("PeterNeumann+c74f20a3")) {
            try changedText.verify(with: [peter])
        }
        let changedSignature = try SignedNote(
            parsing: Self.text + "\n" + Self.peterLine.replacingOccurrences(of: "ZJkuBS9", with: "ZJkuBS8")
        )
        #expect(throws: LedgerFormatError.noteSignatureInvalid("PeterNeumann+c74f20a3")) {
            try changedSignature.verify(with: [peter])
        }
        // A bad signature by a trusted key refuses the note even when another trusted key's verifies.
        let good = try SignedNote(parsing: Self.text + "\n" + Self.peterLine)
        let signer = try NoteSigner(name: "other", key: try Ed25519PrivateKey())
        let forged = try good.adding(
            try SignedNote.Signature(name: "other", keyID: signer.keyID, bytes: [UInt8](repeating: 7, count: 64))
        )
        #expect(throws: LedgerFormatError.noteSignatureInvalid("other+\(String(format: "%08x", signer.keyID))")) {
            try forged.verify(with: [peter, signer.verifier])
        }
    }

    @Test(
        "malformed notes are refused",
        arguments: [
            text,
            text + "\n",
            text + "\n" + peterLine.dropLast(),
            "\u{01}" + text + "\n" + peterLine,
            text + "\n"
                + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
            text + "\n" + peterLine + "Unexpected line.\n",
            text + "\n"
                + "- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
            text + "\n" + "— PeterNeumann\n",
            text + "\n" + "— PeterNeumann AAAAAA==\n",
            text + "\n" + "— a+b AAAAAAA=\n",
            text + "\n" + peterLine + "\n",
        ]
    )
    func malformed(note: String) {
        #expect(throws: LedgerFormatError.self) { try SignedNote(parsing: note) }
    }

    @Test("invalid UTF-8 is refused")
    func invalidUTF8() {
        #expect(throws: LedgerFormatError.malformedNote("the note is not valid UTF-8")) {
            try SignedNote(parsing: [0xFF] + Array((Self.text + "\n" + Self.peterLine).utf8))
        }
    }

    @Test("a note may carry up to 100 signature lines, not more")
    func signatureLimit() throws {
        let peter = try NoteVerifier(vkey: Self.peterVKey)
        let hundred = try SignedNote(parsing: Self.text + "\n" + String(repeating: Self.peterLine, count: 100))
        #expect(try hundred.verify(with: [peter]) == [peter])
        #expect(throws: LedgerFormatError.tooManySignatures(101, limit: 100)) {
            try SignedNote(parsing: Self.text + "\n" + String(repeating: Self.peterLine, count: 101))
        }
    }

    @Test("signing again with the same key replaces its signature")
    func resigning() throws {
        let signer = try NoteSigner(skey: Self.peterSKey)
        let note = try SignedNote(parsing: Self.text + "\n" + Self.peterLine + Self.enochLine)
        let resigned = try note.signed(by: signer)
        #expect(resigned.serialized == Self.text + "\n" + Self.enochLine + Self.peterLine)
    }

    @Test("note text must end in a newline and hold no control characters")
    func textRules() throws {
        let signer = try NoteSigner(skey: Self.peterSKey)
        #expect(throws: LedgerFormatError.self) { try SignedNote.sign(text: "no newline", with: signer) }
        #expect(throws: LedgerFormatError.self) { try SignedNote.sign(text: "tab\there\n", with: signer) }
        let blankLines = try SignedNote.sign(text: "Note\n\n", with: signer)
        #expect(try SignedNote(parsing: blankLines.serialized).text == "Note\n\n")
    }

    @Test(
        "verifier keys with a wrong id, type, length or name are refused",
        arguments: [
            "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
            "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            "PeterNeumann+c74f20a3",
            "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",
        ]
    )
    func badVerifierKeys(vkey: String) {
        #expect(throws: LedgerFormatError.self) { try NoteVerifier(vkey: vkey) }
    }

    @Test("signer key errors never repeat the key")
    func badSignerKeys() {
        let wrongID = Self.peterSKey.replacingOccurrences(of: "c74f20a3", with: "c74f20a4")
        #expect {
            try NoteSigner(skey: wrongID)
        } throws: { error in
            let description = (error as? LedgerFormatError)?.description ?? ""
            return description == "signer key is not usable: the key id does not match the name and key"
                && !description.contains("AYEKFALV")
        }
        #expect(throws: LedgerFormatError.self) { try NoteSigner(skey: String(Self.peterSKey.dropFirst(8))) }
        #expect(throws: LedgerFormatError.self) { try NoteSigner(skey: Self.peterSKey + "A") }
    }

    @Test("key names are non-empty, without spaces, plus signs or control characters")
    func keyNames() {
        #expect(NoteVerifier.isValidName("example.com/log42"))
        for name in ["", "a b", "a+b", "a\u{00A0}b", "a\u{2003}b", "a\nb", "a\u{01}b"] {
            #expect(!NoteVerifier.isValidName(name), "\(name.debugDescription)")
        }
    }
}
