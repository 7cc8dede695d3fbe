import Testing
import CfgDocument

/// Checks that an edited document's incrementally updated spans equal a fresh scan of its bytes.
func expectConsistent(_ document: CfgDocument, sourceLocation: SourceLocation = #_sourceLocation) {
    let fresh = CfgDocument(bytes: document.bytes)
    #expect(document.nodes == fresh.nodes, "nodes differ from a fresh scan", sourceLocation: sourceLocation)
    #expect(document.attributes == fresh.attributes, "attributes differ from a fresh scan", sourceLocation: sourceLocation)
    #expect(document.strays == fresh.strays, "strays differ from a fresh scan", sourceLocation: sourceLocation)
    #expect(document.diagnostics.map(\.description).sorted() == fresh.diagnostics.map(\.description).sorted(),
            "diagnostics differ from a fresh scan", sourceLocation: sourceLocation)
    #expect(document.reassembled() == document.bytes, sourceLocation: sourceLocation)
}

/// The document's bytes as text (for whole-file assertions on ASCII inputs).
func text(_ document: CfgDocument) -> String {
    String(decoding: document.bytes, as: UTF8.self)
}
