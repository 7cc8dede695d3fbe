import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Why a server could not be asked for its certificates: one line for people.
public struct ProbeError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A TLS handshake with a server, in process (swift-nio-ssl), only to see the chain it sends:
/// the verification callback takes the certificates exactly as received and the connection is
/// closed; slcfg judges them itself, as the handset would.
public enum TLSProbe {
    /// How TLS starts on the connection.
    public enum Kind: String, Sendable {
        /// TLS at once (HTTPS, port 443).
        case https
        /// Explicit FTPS: `AUTH TLS` on the FTP control connection (port 21), then TLS.
        case ftpes
        /// Implicit FTPS: TLS at once on port 990.
        case ftps

        public var defaultPort: Int { self == .https ? 443 : self == .ftpes ? 21 : 990 }
    }

    /// The certificates the server at `host:port` sends, DER, in the order sent (leaf first).
    public static func chain(host: String, port: Int, kind: Kind, timeout seconds: Double) async throws(ProbeError)
        -> [[UInt8]]
    {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let received = Outcome(loop.makePromise(of: [[UInt8]].self))
        let timeout = TimeAmount.milliseconds(Int64(seconds * 1000))
        let deadline = loop.scheduleTask(in: timeout) {
            received.fail(ProbeError("\(host):\(port): no TLS handshake within \(Self.seconds(seconds)) (--timeout)"))
        }
        let tls: NIOSSLContext
        do {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .noHostnameVerification
            // Only the chain is wanted (the callback below takes it): no system store to load.
            configuration.trustRoots = .certificates([])
            tls = try NIOSSLContext(configuration: configuration)
        } catch {
            throw ProbeError("cannot set up TLS: \(error)")
        }
        let sni = host.contains(where: { $0.isLetter }) && !host.contains(":") ? host : nil
        let makeHandler: @Sendable () throws -> NIOSSLClientHandler = {
            try NIOSSLClientHandler(
                context: tls, serverHostname: sni,
                customVerificationCallback: { certificates, verdict in
                    received.succeed(certificates.compactMap { try? $0.toDERBytes() })
                    verdict.succeed(.certificateVerified)
                })
        }
        let bootstrap = ClientBootstrap(group: loop).connectTimeout(timeout).channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                if kind == .ftpes {
                    try channel.pipeline.syncOperations.addHandler(
                        AuthTLS(makeTLS: makeHandler, failed: received, host: host, port: port))
                } else {
                    try channel.pipeline.syncOperations.addHandler(makeHandler())
                    try channel.pipeline.syncOperations.addHandler(
                        HandshakeErrors(failed: received, host: host, port: port))
                }
            }
        }
        let channel: Channel
        let start = ContinuousClock.now
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
            ProbePhases.record(kind == .ftpes ? "connect and AUTH TLS" : "connect", since: start)
        } catch {
            deadline.cancel()
            let failure = Self.connectionError(error, host: host, port: port)
            loop.execute { received.fail(failure) }   // every promise is completed, even unused
            throw failure
        }
        defer { deadline.cancel(); channel.close(promise: nil) }
        do {
            let handshake = ContinuousClock.now
            defer { ProbePhases.record("TLS handshake", since: handshake) }
            return try await received.promise.futureResult.get()
        } catch let error as ProbeError {
            throw error
        } catch {
            throw ProbeError("\(host):\(port): the TLS handshake failed: \(error)")
        }
    }

    static func seconds(_ s: Double) -> String { s == s.rounded() ? "\(Int(s)) s" : "\(s) s" }

    static func connectionError(_ error: any Error, host: String, port: Int) -> ProbeError {
        let text = "\(error)"
        if text.contains("NXDOMAIN") || text.contains("UnknownHost") || text.contains("DNS error")
            || text.contains("resolve") || text.contains("dnsA") || text.contains("getaddrinfo")
        {
            return ProbeError("\(host): cannot resolve the name (DNS): check the server name")
        }
        if text.contains("refused") || text.contains("ECONNREFUSED") {
            return ProbeError("\(host):\(port): connection refused: nothing listens there")
        }
        if text.contains("timeout") || text.contains("Timeout") {
            return ProbeError("\(host):\(port): no answer (connection timed out)")
        }
        return ProbeError("\(host):\(port): cannot connect: \(text)")
    }
}

/// The probe's one answer: the first of the chain, an error or the timeout wins (all on one event loop).
final class Outcome: @unchecked Sendable {
    let promise: EventLoopPromise<[[UInt8]]>
    var done = false

    init(_ promise: EventLoopPromise<[[UInt8]]>) { self.promise = promise }

    func succeed(_ chain: [[UInt8]]) {
        guard !done else { return }
        done = true
        promise.succeed(chain)
    }

    func fail(_ error: ProbeError) {
        guard !done else { return }
        done = true
        promise.fail(error)
    }
}

/// Fails the probe with the handshake's own error (a server that speaks no TLS, a closed connection).
final class HandshakeErrors: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    let failed: Outcome
    let host: String, port: Int

    init(failed: Outcome, host: String, port: Int) {
        self.failed = failed
        self.host = host
        self.port = port
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failed.fail(ProbeError("\(host):\(port): the TLS handshake failed: \(error)"))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failed.fail(ProbeError("\(host):\(port): the server closed the connection before sending its certificates"))
    }
}

/// Explicit FTPS: waits for the server's 220, asks `AUTH TLS`, and on 234 starts TLS.
final class AuthTLS: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    let makeTLS: @Sendable () throws -> NIOSSLClientHandler
    let failed: Outcome
    let host: String, port: Int
    var text = ""
    var asked = false

    init(makeTLS: @escaping @Sendable () throws -> NIOSSLClientHandler, failed: Outcome, host: String, port: Int) {
        self.makeTLS = makeTLS
        self.failed = failed
        self.host = host
        self.port = port
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        text += buffer.readString(length: buffer.readableBytes) ?? ""
        // A reply is complete at a line "NNN text" (a "NNN-" line continues it).
        while let end = text.range(of: "\r\n") ?? text.range(of: "\n") {
            let line = String(text[..<end.lowerBound])
            text = String(text[end.upperBound...])
            guard line.count >= 4, line.dropFirst(3).first == " " else { continue }
            reply(code: String(line.prefix(3)), line: line, context: context)
        }
    }

    func reply(code: String, line: String, context: ChannelHandlerContext) {
        switch (asked, code) {
        case (false, "220"):
            asked = true
            context.writeAndFlush(
                wrapOutboundOut(context.channel.allocator.buffer(string: "AUTH TLS\r\n")), promise: nil)
        case (true, "234"):
            do {
                let sync = context.pipeline.syncOperations
                try sync.addHandler(makeTLS(), position: .first)
                try sync.addHandler(HandshakeErrors(failed: failed, host: host, port: port))
                context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            } catch {
                failed.fail(ProbeError("\(host):\(port): cannot start TLS: \(error)"))
            }
        default:
            failed.fail(
                ProbeError(
                    "\(host):\(port): the FTP server answered \"\(line)\" "
                        + "\(asked ? "to AUTH TLS: it offers no explicit FTPS" : "instead of its greeting")"
                ))
            context.close(promise: nil)
        }
    }

    typealias OutboundOut = ByteBuffer

    func channelInactive(context: ChannelHandlerContext) {
        failed.fail(
            ProbeError(
                "\(host):\(port): the server closed the connection \(asked ? "after AUTH TLS" : "before greeting")"))
    }
}
