// The declared encoding from the command line: get and JSON print UTF-8, set writes the file's encoding, lint
// names what the encoding does not define, and a file slcfg cannot read is never written.
import Foundation
import Testing
import TestSupport

private let head = Array(
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<polycomConfig>\n  <device device.set=\"1\" ".utf8)
private let tail = Array(" device.wifi.ssid.set=\"1\"/>\n</polycomConfig>\n".utf8)

private let shiftJIS: [UInt8] = Array("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n<r a=\"x\"/>\n".utf8)
/// Not well-formed: a lone high surrogate in the value.
private let brokenUTF16: [UInt8] = [0xFF, 0xFE] + Array("<r a=\"".utf8).flatMap { [$0, 0] } + [0x00, 0xD8]
    + Array("\"/>".utf8).flatMap { [$0, 0] }

/// `text` as UTF-16 with a byte-order mark, in the byte order given.
private func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
    ("\u{FEFF}" + text).utf16.flatMap { bigEndian ? [UInt8($0 >> 8), UInt8($0 & 0xFF)] : [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
}

private func write(_ bytes: [UInt8]) -> URL {
    let dir = temporaryDirectory()
    FileManager.default.createFile(atPath: dir.appendingPathComponent("wireless.cfg").path, contents: Data(bytes))
    return dir
}

@Suite("Encodings on the command line")
struct EncodingCommandTests {
    @Test("A Latin-1 file reads as UTF-8 in get and params --json; set writes Latin-1 and keeps every other byte")
    func latin1() throws {
        let dir = write(head + Array("device.wifi.ssid=\"Caf".utf8) + [0xE9, 0x22] + tail)
        #expect(slcfg(["get", "wireless.cfg", "device.wifi.ssid"], in: dir).stdout == "Café\n")
        #expect(slcfg(["params", "wireless.cfg", "--json"], in: dir).stdout.contains("\"value\":\"Café\""))
        let set = slcfg(["set", "wireless.cfg", "device.wifi.ssid=Crème ∞"], in: dir)
        #expect(set.status == 0, "\(set.stderr)")
        let written = try [UInt8](Data(contentsOf: dir.appendingPathComponent("wireless.cfg")))
        #expect(written == head + Array("device.wifi.ssid=\"Cr".utf8) + [0xE8] + Array("me &#8734;\"".utf8) + tail)
        #expect(slcfg(["lint", "wireless.cfg", "--format", "gcc"], in: dir).stdout == "")
    }

    @Test("A value holding a byte the encoding does not define is named by lint and never replaced by set")
    func invalidBytes() throws {
        let original = Array("<r device.set=\"1\" device.wifi.ssid=\"Caf".utf8) + [0xE9, 0x22, 0x2F, 0x3E, 0x0A]
        let dir = write(original)
        let lint = slcfg(["lint", "wireless.cfg", "--format", "gcc"], in: dir)
        #expect(lint.stdout.contains("wireless.cfg:1:40: error: byte 0xE9 is not UTF-8, the encoding the file has "
            + "by default (it declares none)"))
        let set = slcfg(["set", "wireless.cfg", "device.wifi.ssid=x"], in: dir)
        #expect(set.status != 0)
        #expect(set.stderr == "slcfg: wireless.cfg: cannot set device.wifi.ssid: device.wifi.ssid holds byte 0xE9, "
            + "which is not UTF-8 (the file's encoding): its value cannot be read as text, so slcfg does not replace "
            + "it; correct the file's encoding first (slcfg lint names every such byte); nothing was changed\n")
        #expect(try [UInt8](Data(contentsOf: dir.appendingPathComponent("wireless.cfg"))) == original)
    }

    @Test("A file in an encoding slcfg does not read is reported by lint, and set refuses to write into it",
          arguments: [shiftJIS, brokenUTF16])
    func unsupported(bytes: [UInt8]) throws {
        let dir = write(bytes)
        let name = bytes[0] == 0xFF ? "UTF-16LE that is not well-formed" : "Shift_JIS"
        #expect(slcfg(["lint", "wireless.cfg", "--format", "gcc"], in: dir).stdout.contains(
            "warning: the file is in encoding \"\(name)\", which slcfg does not read: values are shown as their bytes "
                + "and edits are refused; save it as UTF-8 or ISO-8859-1 [encoding]"))
        let set = slcfg(["set", "wireless.cfg", "a=y"], in: dir)
        #expect(set.status != 0)
        #expect(set.stderr.hasSuffix("slcfg: wireless.cfg: cannot set a: the file is in encoding \"\(name)\", which "
            + "slcfg does not read, so it writes nothing into it; save the file as UTF-8 or ISO-8859-1 first; nothing "
            + "was changed\n"))
        #expect(try [UInt8](Data(contentsOf: dir.appendingPathComponent("wireless.cfg"))) == bytes)
    }

    @Test("A UTF-16 file reads as UTF-8 in get and params --json; set writes UTF-16 in its byte order; lint is silent",
          arguments: [false, true])
    func utf16File(bigEndian: Bool) throws {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n<polycomConfig>\r\n  <device device.set=\"1\" "
            + "device.wifi.ssid=\"Café\" device.wifi.ssid.set=\"1\"/>\r\n</polycomConfig>\r\n"
        let dir = write(utf16(text, bigEndian: bigEndian))
        #expect(slcfg(["get", "wireless.cfg", "device.wifi.ssid"], in: dir).stdout == "Café\n")
        #expect(slcfg(["params", "wireless.cfg", "--json"], in: dir).stdout.contains("\"value\":\"Café\""))
        #expect(slcfg(["lint", "wireless.cfg", "--format", "gcc"], in: dir).stdout == "")
        let dryRun = slcfg(["set", "wireless.cfg", "device.wifi.ssid=Crème 𝄞", "--dry-run"], in: dir)
        #expect(dryRun.stdout.contains("+  <device device.set=\"1\" device.wifi.ssid=\"Crème 𝄞\""))
        let set = slcfg(["set", "wireless.cfg", "device.wifi.ssid=Crème 𝄞"], in: dir)
        #expect(set.status == 0, "\(set.stderr)")
        let written = try [UInt8](Data(contentsOf: dir.appendingPathComponent("wireless.cfg")))
        #expect(written == utf16(text.replacingOccurrences(of: "Café", with: "Crème 𝄞"), bigEndian: bigEndian))
    }
}
