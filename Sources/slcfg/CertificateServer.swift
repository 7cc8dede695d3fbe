// A minimal HTTP server for one file at one path: GET and HEAD of that path get it, anything else 404 (or 405), one
// request a connection, each logged; it stops at a deadline, after a number of downloads, or on SIGINT/SIGTERM.
import Certificates
import Foundation
import Glibc

/// Set by SIGINT or SIGTERM while a ``CertificateServer`` runs.
nonisolated(unsafe) private var stopRequested: sig_atomic_t = 0

/// Why the server stopped, and how many downloads it served.
struct ServeOutcome: CustomStringConvertible {
    enum Reason { case count, deadline, interrupted }
    var reason: Reason
    var downloads: Int

    var description: String {
        let served = "\(downloads) download\(downloads == 1 ? "" : "s")"
        switch reason {
        case .count: return "stopped after \(served)"
        case .deadline: return "stopped: the time given has passed (\(served))"
        case .interrupted: return "stopped by a signal, Ctrl-C or kill (\(served))"
        }
    }
}

/// Why the server cannot listen.
struct ListenError: Error, CustomStringConvertible {
    var description: String
}

/// The server of one certificate.
final class CertificateServer {
    /// The longest request read: a handset's GET is a few hundred bytes.
    static let requestLimit = 8192
    /// How long one connection may take to send its request and read the answer.
    static let connectionSeconds = 5

    let socket: Int32
    let host: String
    let port: UInt16
    let path: String
    let body: [UInt8]

    /// Listens on `host:port` (port 0: a free one) to serve `body` at `path`.
    init(host: String, port: UInt16, path: String, body: String) throws(ListenError) {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ListenError(description: String(cString: strerror(errno))) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, Glibc.listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw ListenError(description: reason)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.socket = fd
        self.host = host
        self.port = UInt16(bigEndian: address.sin_port)
        self.path = path
        self.body = Array(body.utf8)
    }

    deinit { close(socket) }

    /// The URLs to type: the address listened on, or for 0.0.0.0 each IPv4 address of this machine.
    func urls() -> [String] {
        let hosts = host == "0.0.0.0" ? Self.localAddresses() : [host]
        return hosts.map { "http://\($0):\(port)\(path)" }
    }

    /// From now on SIGINT and SIGTERM stop ``run(until:count:log:)`` at its next turn (within a quarter of a
    /// second), even when they were blocked or ignored by whoever started slcfg.
    static func stopOnSignals() {
        stopRequested = 0
        signal(SIGINT) { _ in stopRequested = 1 }
        signal(SIGTERM) { _ in stopRequested = 1 }
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }

    /// Serves until `deadline`, `count` downloads (nil: no limit) or a signal (once ``stopOnSignals()`` was
    /// called); `log` gets a line per request.
    func run(until deadline: Date, count: Int?, log: (String) -> Void) -> ServeOutcome {
        var downloads = 0
        while true {
            if stopRequested != 0 { return ServeOutcome(reason: .interrupted, downloads: downloads) }
            if let count, downloads >= count { return ServeOutcome(reason: .count, downloads: downloads) }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return ServeOutcome(reason: .deadline, downloads: downloads) }
            var waiting = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&waiting, 1, Int32(min(250, left * 1000))) > 0 else { continue }
            var peer = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let client = withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(socket, $0, &length) }
            }
            guard client >= 0 else { continue }
            if answer(client, from: Self.text(of: peer.sin_addr), log: log, downloads: downloads, count: count) {
                downloads += 1
            }
            close(client)
        }
    }

    /// Reads one request from `client` and answers it; true when it was a download of the file.
    private func answer(
        _ client: Int32, from peer: String, log: (String) -> Void, downloads: Int, count: Int?
    ) -> Bool {
        var timeout = timeval(tv_sec: Self.connectionSeconds, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = Self.readRequest(client)
        let words = String(decoding: request.prefix { $0 != 0x0D && $0 != 0x0A }, as: UTF8.self)
            .split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let method = words.first ?? "", target = words.count > 1 ? words[1] : ""
        let status: (Int, String)
        if method != "GET" && method != "HEAD" {
            status = (405, "Method Not Allowed")
        } else if target == path {
            status = (200, "OK")
        } else {
            status = (404, "Not Found")
        }
        let content = status.0 == 200 ? body : Array("\(status.1)\n".utf8)
        var response = Array(("HTTP/1.0 \(status.0) \(status.1)\r\nContent-Type: "
            + (status.0 == 200 ? "application/x-pem-file" : "text/plain") + "\r\nContent-Length: \(content.count)\r\n"
            + "Connection: close\r\n\r\n").utf8)
        if method != "HEAD" { response += content }
        let sent = response.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        let download = status.0 == 200 && method == "GET" && sent == response.count
        let shown = "\(method.prefix(16)) \(target.prefix(200))".trimmingCharacters(in: .whitespaces)
        let progress = download ? " (download \(downloads + 1)\(count.map { " of \($0)" } ?? ""))" : ""
        let line = shown.isEmpty ? "(no request)" : shown
        log("\(CertificateFacts.iso8601(Date())) \(peer) \(line) \(status.0)\(progress)")
        return download
    }

    /// The request's head, up to its blank line or ``requestLimit`` bytes.
    static func readRequest(_ client: Int32) -> [UInt8] {
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while request.count < requestLimit {
            let n = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { break }
            request += buffer[..<n]
            if request.firstRange(of: [0x0D, 0x0A, 0x0D, 0x0A]) != nil || request.firstRange(of: [0x0A, 0x0A]) != nil {
                break
            }
        }
        return request
    }

    static func text(of address: in_addr) -> String {
        var address = address
        var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        inet_ntop(AF_INET, &address, &text, socklen_t(INET_ADDRSTRLEN))
        return String(cString: text)
    }

    /// This machine's IPv4 addresses but loopback's, else 127.0.0.1.
    static func localAddresses() -> [String] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { return ["127.0.0.1"] }
        defer { freeifaddrs(list) }
        var found: [String] = []
        var next = list
        while let entry = next {
            if let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET) {
                let ipv4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                let text = Self.text(of: ipv4)
                if !text.hasPrefix("127."), !found.contains(text) { found.append(text) }
            }
            next = entry.pointee.ifa_next
        }
        return found.isEmpty ? ["127.0.0.1"] : found
    }
}
