// `cert serve` as the handset's web page meets it: the root of a DER chain as PEM at the printed URL (fetched by
// curl), 404 elsewhere, each request logged, the end after --count or on a signal.
import Foundation
import Glibc
import Testing
import TestSupport

private let curlAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")

/// `slcfg cert serve` running in the background, its standard output read line by line.
private final class Serving {
    let process = Process()
    let output = Pipe()
    private var buffer: [UInt8] = []

    init(_ arguments: [String], in directory: URL) throws {
        process.executableURL = URL(fileURLWithPath: slcfgPath)
        process.arguments = ["cert", "serve"] + arguments
        process.currentDirectoryURL = directory
        process.standardOutput = output
        process.standardError = output
        try process.run()
    }

    /// The next line, or nil after `timeout` seconds or at the end.
    func line(timeout: Double = 10) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let end = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeSubrange(...end)
                return line
            }
            var ready = pollfd(fd: output.fileHandleForReading.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 100) > 0 else { continue }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            buffer += chunk
        }
        return nil
    }

    /// The lines up to the end (each within 10 seconds), and the exit status.
    func finish() -> ([String], Int32) {
        var lines: [String] = []
        while let line = line() { lines.append(line) }
        if process.isRunning { process.terminate() }   // silent for 10 seconds: the test fails, it does not hang
        process.waitUntilExit()
        return (lines, process.terminationStatus)
    }
}

@Suite("cert serve", .enabled(if: curlAvailable), .serialized)
struct CertServeTests {
    let pki = TestPKI.shared

    /// A directory holding `chain.p7b`: the test chain as a DER PKCS#7 bundle, made by openssl.
    func directory() throws -> URL {
        let dir = temporaryDirectory()
        try (pki.leaf.pem + pki.intermediate.pem + pki.root.pem).write(
            to: dir.appendingPathComponent("chain.pem"), atomically: true, encoding: .utf8)
        TestPKI.openssl(["crl2pkcs7", "-nocrl", "-certfile", "chain.pem", "-outform", "DER", "-out", "chain.p7b"],
                        in: dir)
        return dir
    }

    @Test("A DER chain: the root as PEM at the printed URL, 404 elsewhere, each request logged, the end after one")
    func servesTheRoot() throws {
        let dir = try directory()
        let serving = try Serving(["chain.p7b", "--listen", "127.0.0.1:0", "--count", "1"], in: dir)
        #expect(serving.line() == "kept the root 'Test Root CA' of 3 certificates (left out 'radius.lab.example', "
            + "'Test Issuing CA')")
        let announce = try #require(serving.line())
        #expect(announce.hasPrefix("Serving 'Test Root CA' (until ") && announce.hasSuffix(
            " as PEM for 10 minutes or 1 download; Ctrl-C stops. Type into the handset's web page (Settings › "
                + "Network › TLS):"))
        let url = try #require(serving.line()).trimmingCharacters(in: .whitespaces)
        let pattern = try Regex("^http://127\\.0\\.0\\.1:[0-9]+/test-root-ca-[0-9a-f]{8}\\.pem$")
        #expect(url.wholeMatch(of: pattern) != nil, "\(url)")
        let base = url[..<url.lastIndex(of: "/")!]
        let wrong = run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", base + "/root.pem"])
        #expect(wrong.stdout == "404")
        let fetched = run("/usr/bin/curl", ["-s", "-f", url])
        #expect(fetched.status == 0)
        #expect(fetched.stdout == pki.root.pem)
        let path = String(url[url.lastIndex(of: "/")!...])
        let (lines, status) = serving.finish()
        #expect(status == 0)
        #expect(lines.count == 3, "\(lines)")
        #expect(lines.first?.hasSuffix(" 127.0.0.1 GET /root.pem 404") == true, "\(lines)")
        #expect(lines.dropFirst().first?.hasSuffix(" 127.0.0.1 GET \(path) 200 (download 1 of 1)") == true, "\(lines)")
        #expect(lines.last == "stopped after 1 download")
    }

    @Test("SIGINT stops it cleanly: it says so and exits 130, the port closed")
    func interrupted() throws {
        let dir = try directory()
        let serving = try Serving(["chain.p7b", "--listen", "127.0.0.1:0"], in: dir)
        for _ in 0..<2 { _ = serving.line() }
        let url = try #require(serving.line()).trimmingCharacters(in: .whitespaces)
        kill(serving.process.processIdentifier, SIGINT)
        let (lines, status) = serving.finish()
        #expect(status == 130)
        #expect(lines == ["stopped by a signal, Ctrl-C or kill (0 downloads)"])
        #expect(run("/usr/bin/curl", ["-s", "-f", "--max-time", "2", url]).status != 0)
    }

    @Test("What is no certificate, or a bad address, is refused in one line before anything listens")
    func refusals() throws {
        let dir = try directory()
        write(Array("hello".utf8), to: dir.appendingPathComponent("not.pem"))
        let bad = slcfg(["cert", "serve", "not.pem"], in: dir)
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("slcfg: not.pem: found text that is neither PEM nor base64"))
        let address = slcfg(["cert", "serve", "chain.p7b", "--listen", "prov.example:80"], in: dir)
        #expect(address.status == 64)
        #expect(address.stderr == "slcfg: --listen takes an IPv4 address (127.0.0.1, 0.0.0.0), not 'prov.example'\n")
    }
}
