import CountersignKit

/// Small documents the XML targets evaluate against: a valuation and a loan application, as the
/// mortgage example's rules read them.
enum XMLFixtures {
    static let valuationBytes = Array(
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <valuation><property><address>12 Harbour Street</address></property>\
        <value currency="AUD">1480000</value></valuation>
        """.utf8
    )
    static let applicationBytes = Array(
        """
        <application id="M-1"><property><address>12 Harbour Street</address></property>\
        <loan><amount currency="AUD">640000</amount></loan></application>
        """.utf8
    )
    /// A schema the valuation is valid under.
    static let valuationSchema = Array(
        """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <xs:element name="valuation"><xs:complexType><xs:sequence>
            <xs:element name="property"><xs:complexType><xs:sequence>
              <xs:element name="address" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
            <xs:element name="value"><xs:complexType><xs:simpleContent><xs:extension base="xs:decimal">
              <xs:attribute name="currency" type="xs:string"/></xs:extension></xs:simpleContent></xs:complexType>
            </xs:element>
          </xs:sequence></xs:complexType></xs:element>
        </xs:schema>
        """.utf8
    )

    static func valuation() throws(DocumentError) -> XMLDocument {
        try XMLDocument(bytes: valuationBytes, source: "valuation.xml")
    }

    static func application() throws(DocumentError) -> XMLDocument {
        try XMLDocument(bytes: applicationBytes, source: "application.xml")
    }

    /// The valuation's fingerprint, computed before any fuzz input was read.
    static let valuationFingerprint = try! valuation().fingerprint()
}
