import Foundation

/// A fresh temporary directory for one test.
public func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("slcfg-test-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs a program and returns its exit status and output.
@discardableResult
public func run(_ executable: String, _ arguments: [String], in directory: URL? = nil, input: [UInt8] = []) -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe(), err = Pipe(), inp = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = inp
    try! process.run()
    // Both pipes are drained at once: a child that fills one while we wait on the other would hang.
    let errorData = LockedData()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { errorData.set(err.fileHandleForReading.readDataToEndOfFile()) }
    inp.fileHandleForWriting.write(Data(input))
    try? inp.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    let e = errorData.get()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// Bytes handed from a reading thread.
final class LockedData: @unchecked Sendable {
    private var data = Data()
    private let lock = NSLock()
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}

/// The bytes of a file.
public func contents(_ url: URL) -> [UInt8] {
    Array(FileManager.default.contents(atPath: url.path) ?? Data())
}

/// Writes bytes to a file.
public func write(_ bytes: [UInt8], to url: URL) {
    _ = FileManager.default.createFile(atPath: url.path, contents: Data(bytes))
}

/// The directory holding the built products (the `slcfg` executable among them).
public let productsDirectory: URL = {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var url = URL(fileURLWithPath: exe)
    while url.pathComponents.count > 1 && !FileManager.default.fileExists(atPath: url.appendingPathComponent("slcfg").path) {
        url.deleteLastPathComponent()
    }
    return url
}()

/// The path of the built `slcfg` executable.
public let slcfgPath = productsDirectory.appendingPathComponent("slcfg").path

/// Runs the built `slcfg` with `arguments`.
@discardableResult
public func slcfg(_ arguments: [String], in directory: URL? = nil, input: [UInt8] = []) -> (status: Int32, stdout: String, stderr: String) {
    run(slcfgPath, arguments, in: directory, input: input)
}
