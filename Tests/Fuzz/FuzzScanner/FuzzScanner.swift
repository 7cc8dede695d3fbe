// libFuzzer target: the scanner is total and lossless on any input, and an edit keeps the
// incrementally updated spans equal to a fresh scan.
import CfgDocument

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScanner(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var document = CfgDocument(bytes: bytes)
    precondition(document.bytes == bytes, "serialisation differs from the input")
    precondition(document.reassembled() == bytes, "spans do not tile the input")
    if document.parameterCount > 0 {
        let i = Int(bytes.first ?? 0) % document.parameterCount
        document.setValue(i, to: "fuzz \"&<'\n")
        let fresh = CfgDocument(bytes: document.bytes)
        precondition(fresh.nodes == document.nodes && fresh.attributes == document.attributes && fresh.strays == document.strays,
                     "edited spans differ from a fresh scan")
        precondition(document.value(i) == "fuzz \"&<'\n", "the value did not round-trip")
    }
    return 0
}
