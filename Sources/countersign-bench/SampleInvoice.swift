import Foundation

/// A large UBL-like invoice: the default namespace and two prefixed ones, attributes written out of
/// canonical order, escaped text and pretty-printing whitespace, so canonicalization has real work.
/// No comments: `xmllint --exc-c14n` keeps them and Countersign's fingerprint drops them.
enum SampleInvoice {
    /// The invoice file in `Bench.dataFolder`, written once with at least `bytes` bytes.
    static func file(bytes: Int) throws -> URL {
        let url = Bench.dataFolder.appendingPathComponent("invoice-\(bytes / 1_000_000)MB.xml")
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        if let size = attributes?[.size] as? Int, size >= bytes, size < bytes + 10_000 { return url }
        var text = header
        text.reserveCapacity(bytes + 10_000)
        var line = 0
        while text.utf8.count < bytes - footer.utf8.count {
            line += 1
            text += invoiceLine(line)
        }
        text += footer
        try Data(text.utf8).write(to: url)
        return url
    }

    private static let header = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" \
        xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" \
        xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">
          <cbc:UBLVersionID>2.1</cbc:UBLVersionID>
          <cbc:ID>INV-2026-000417</cbc:ID>
          <cbc:IssueDate>2026-11-02</cbc:IssueDate>
          <cbc:DocumentCurrencyCode listID="ISO 4217 Alpha" listAgencyID="6">EUR</cbc:DocumentCurrencyCode>
          <cac:AccountingSupplierParty>
            <cac:Party>
              <cbc:EndpointID schemeID="0088">5790000435975</cbc:EndpointID>
              <cac:PartyName><cbc:Name>Harbour Fittings &amp; Supply Pty Ltd</cbc:Name></cac:PartyName>
            </cac:Party>
          </cac:AccountingSupplierParty>

        """

    private static let footer = """
          <cac:LegalMonetaryTotal>
            <cbc:PayableAmount currencyID="EUR">1000000.00</cbc:PayableAmount>
          </cac:LegalMonetaryTotal>
        </Invoice>

        """

    private static func invoiceLine(_ number: Int) -> String {
        let quantity = number % 97 + 1
        let cents = (number * 7_919) % 100_000 + 100
        let price = "\(cents / 100).\(String(format: "%02d", cents % 100))"
        return """
              <cac:InvoiceLine>
                <cbc:ID>\(number)</cbc:ID>
                <cbc:InvoicedQuantity unitCodeListID="UNECERec20" unitCode="EA">\(quantity)</cbc:InvoicedQuantity>
                <cbc:LineExtensionAmount currencyID="EUR">\(price)</cbc:LineExtensionAmount>
                <cac:Item>
                  <cbc:Name>Valve &lt;DN\(number % 300)&gt; &amp; seal</cbc:Name>
                  <cac:SellersItemIdentification><cbc:ID schemeID="GTIN">\(4_000_000_000_000 + number)</cbc:ID></cac:SellersItemIdentification>
                </cac:Item>
                <cac:Price><cbc:PriceAmount currencyID="EUR">\(price)</cbc:PriceAmount></cac:Price>
              </cac:InvoiceLine>

            """
    }
}
