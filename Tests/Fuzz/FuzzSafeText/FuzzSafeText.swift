// libFuzzer target: whatever bytes come in, SafeText writes nothing that drives a terminal (no
// control but LF and tab, no DEL, no C1, no bidi override, only valid UTF-8), and the String and
// byte renderings agree on valid UTF-8.
import SafeText

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeText(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var out: [UInt8] = []
    SafeText.appendVisible(bytes, to: &out)
    guard let text = String(validating: out, as: UTF8.self) else { preconditionFailure("not UTF-8") }
    for scalar in text.unicodeScalars where scalar != "\n" && scalar != "\t" {
        precondition(!SafeText.isHidden(scalar), "hidden U+\(String(scalar.value, radix: 16)) written")
    }
    if let input = String(validating: bytes, as: UTF8.self) {
        let visible = SafeText.visible(input, keeping: SafeText.lineStructure)
        precondition(Array(visible.utf8) == out, "the String and byte renderings differ")
        precondition(!SafeText.visible(input).unicodeScalars.contains(where: SafeText.isHidden), "a cell leaks")
    }
    return 0
}
