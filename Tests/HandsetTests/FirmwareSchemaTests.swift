// The firmware's own schema (polycomConfig.xsd): read into types, defaults and documentation; its names are never
// typos, near misses come from them, and its types check values.
import Foundation
import Testing
import TestSupport
import CfgDocument
import Handset

private let schemaBytes = Array((try? Data(contentsOf: Samples.schemaFile)) ?? Data())
private let now = Date(timeIntervalSince1970: 1_800_000_000)
/// The firmware schema beside the corpus (`../shared/schemas`), when there is one.
private let sharedSchemaBytes: [UInt8]? = Samples.corpusDirectory
    .map { $0.deletingLastPathComponent().appendingPathComponent("schemas/polycomConfig.xsd") }
    .flatMap { try? Data(contentsOf: $0) }.map(Array.init)

private func schema() throws -> FirmwareSchema {
    try FirmwareSchema(bytes: schemaBytes, source: "polycomConfig.xsd")
}

@Suite("Firmware schema")
struct FirmwareSchemaTests {
    @Test("Each declared parameter has its type, documentation and stated default")
    func reading() throws {
        let parameters = try schema().parameters.values.sorted { $0.name < $1.name }
        #expect(parameters == [
            .init(name: "device.prov.redunInterAttemptDelay", type: .integer(0...300, allowsEmpty: true),
                  documentation: "number min 0 max 300 default \"\".", defaultValue: ""),
            .init(name: "device.prov.redunInterAttemptDelay.set", type: .boolean,
                  documentation: "true/false parameter default 0 (false).", defaultValue: "0"),
            .init(name: "device.prov.serverName", type: .text(maxLength: 20),
                  documentation: "string min length 0 max length 20 default \"\".", defaultValue: ""),
            .init(name: "device.prov.serverType", type: .enumeration(["0", "FTP", "3", "HTTPS", "4", "FTPS", ""]),
                  documentation:
                    "enum allowed values: \"\" \"0\" \"FTP\" \"3\" \"HTTPS\" \"4\" \"FTPS\", default \"\".",
                  defaultValue: ""),
            .init(name: "up.newTimeDisplay", type: .boolean, documentation: "", defaultValue: nil),
            .init(name: "voice.codecPref.G711Mu", type: .integer(-5...5, allowsEmpty: false),
                  documentation: "number min -5 max 5 default 1.", defaultValue: "1"),
        ])
    }

    @Test("Lint with the schema: an enumeration, a range and a length each reported with what is allowed")
    func values() throws {
        let catalogue = Catalogue.shared.with(schema: try schema())
        let document = CfgDocument("""
            <polycomConfig device.set="1" device.prov.serverType="HTTP" device.prov.serverType.set="1"
              device.prov.redunInterAttemptDelay="900" device.prov.redunInterAttemptDelay.set="1"
              device.prov.serverName="provisioning.example.com" device.prov.serverName.set="1"
              voice.codecPref.G711Mu="-4" up.newTimeDisplay="true"/>
            """)
        let values = Linter(catalogue: catalogue, now: now).lint(document).filter { $0.rule == "value" }
        #expect(values.map(\.message) == [
            "\"HTTP\" is not a value polycomConfig.xsd allows for device.prov.serverType: 0, FTP, 3, HTTPS, 4, FTPS, "
                + "(empty)",
            "900 is outside 0–300 for device.prov.redunInterAttemptDelay (polycomConfig.xsd; empty is allowed too)",
            "device.prov.serverName holds 24 characters, more than the 20 polycomConfig.xsd allows",
        ])
        #expect(values.map(\.severity) == [.error, .error, .error])
    }

    @Test("A name the schema declares is never a typo, and a near miss is suggested from the schema's names")
    func names() throws {
        let catalogue = Catalogue.shared.with(schema: try schema())
        let document = CfgDocument("<r up.newTimeDisplay=\"1\" up.newTimeDisplai=\"1\"/>")
        #expect(Linter(now: now).lint(document).filter { $0.rule == "near-miss" }.map(\.parameter) == [])
        let findings = Linter(catalogue: catalogue, now: now).lint(document).filter { $0.rule == "near-miss" }
        #expect(findings.map(\.message) == [
            "up.newTimeDisplai is not a parameter the handset knows, so it is ignored; did you mean up.newTimeDisplay?",
        ])
        #expect(catalogue.info(for: "UP.NEWTIMEDISPLAY")?.domain == .boolean)
    }

    @Test("Without a schema, the names of every firmware generation's stock files are no typos")
    func generations() {
        let document = CfgDocument("<r voice.codecPref.G711Mu=\"1\" voice.codecPref.G711_Mu=\"1\"/>")
        #expect(Linter(now: now).lint(document).filter { $0.rule == "near-miss" } == [])
    }

    @Test("A malformed or foreign XSD is refused in one line naming where, never a crash",
          arguments: [
            ("<xsd:schema><xsd:attribute name=\"a\" type=\"xsd:boolean\">\n", SchemaError(
                line: 1, column: 1, reason: "element <xsd:schema> is never closed: not well-formed XML")),
            ("<xs:schema><xs:element name=\"order\"/></xs:schema>", SchemaError(
                reason: "it declares no parameter (no xsd:attribute with a name): not a firmware schema")),
            ("", SchemaError(reason: "it declares no parameter (no xsd:attribute with a name): not a firmware schema")),
          ])
    func refused(text: String, expected: SchemaError) {
        #expect(throws: expected) { try FirmwareSchema(bytes: Array(text.utf8), source: "x.xsd") }
        #expect(expected.message(path: "p/x.xsd").hasPrefix("p/x.xsd"))
    }

    @Test("The shared firmware schema: its own stock files have no near miss and no bad value",
          .enabled(if: sharedSchemaBytes != nil, "../shared/schemas/polycomConfig.xsd is not beside the corpus"),
          arguments: Samples.corpus.filter { $0.name.contains("4.0.15.1009") })
    func sharedSchema(file: SampleFile) throws {
        let shared = try FirmwareSchema(bytes: sharedSchemaBytes ?? [], source: "polycomConfig.xsd")
        let catalogue = Catalogue.shared.with(schema: shared)
        let findings = Linter(catalogue: catalogue, now: now).lint(CfgDocument(bytes: file.bytes))
        #expect(findings.filter { ["near-miss", "value"].contains($0.rule) }.map(\.message) == [], "\(file.name)")
        #expect(catalogue.schema?.parameters.count == 17_978)
    }
}
