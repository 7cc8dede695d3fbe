import Foundation
import CfgDocument
import Handset
import Files
import Certificates

/// A key the editor understands.
public enum Key: Equatable, Sendable {
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete, f1
    /// A printable character.
    case character(Character)
    /// Ctrl with a letter (`Ctrl-S` is `.control("s")`).
    case control(Character)
}

/// Something that happened: a key, a paste, a resize, or the result of an effect.
public enum Event: Equatable, Sendable {
    case key(Key)
    /// Text pasted (bracketed paste).
    case paste(String)
    /// The terminal's new size.
    case resize(width: Int, height: Int)
    /// A mouse click at a screen row (with `--mouse`).
    case click(row: Int)
    /// Mouse wheel: negative up, positive down.
    case scroll(Int)
    /// The bytes of a file asked for with ``Effect/readFile(_:)``, or why it could not be read.
    case fileRead(path: String, Result<[UInt8], FileError>)
    /// Candidates for ``Effect/complete(_:)``.
    case completions([String])
    /// A file of ``Effect/writeFiles(_:)`` changed on disk since it was looked at (nothing was
    /// written): what changed, and its current bytes.
    case changedOnDisk(path: String, summary: String, current: [UInt8])
    /// What is at a path about to be written (see ``Effect/inspect(_:)``).
    case inspected(path: String, FileStatus)
    /// The outcome of ``Effect/writeFiles(_:)``, file by file.
    case filesWritten([FileWritten])
    /// Lint findings of the document of generation `generation` (see ``Effect/lint(generation:)``).
    case linted(generation: Int, findings: [Finding])
    /// What the server of ``Effect/probe(_:)`` job `id` said.
    case probed(id: Int, ProbeResult)
    /// Time passes while nothing else happens (the spinner of a running probe turns).
    case tick
    /// What ``Effect/openPFX(_:source:passphrase:slot:)`` found: the PEM of the certificates and key, or why not.
    case pfxOpened(slot: Int, source: String, Result<[UInt8], CertificateError>)
}

/// Work for the outside world; its results come back as events.
public enum Effect: Equatable, Sendable {
    /// Write each file atomically (every save: one file, or a set's changed members). When one
    /// no longer matches its `expected`, write none and send ``Event/changedOnDisk(path:summary:current:)``;
    /// else write each (a failure of one does not stop the others) and send ``Event/filesWritten(_:)``.
    case writeFiles([FileWrite])
    /// Read a file (a certificate to import).
    case readFile(String)
    /// Open a PKCS#12 file's bytes with its passphrase (openssl), then send
    /// ``Event/pfxOpened(slot:source:_:)``.
    case openPFX([UInt8], source: String, passphrase: String, slot: Int)
    /// Look at what is at a path before saving there, then send ``Event/inspected(path:_:)``.
    case inspect(String)
    /// List path completions for a prefix.
    case complete(String)
    /// Lint the current document in the background (large files), then send ``Event/linted(generation:findings:)``.
    case lint(generation: Int)
    /// Ask a server for its chain in the background, then send ``Event/probed(id:_:)``.
    case probe(ProbeJob)
    /// Show another handset's set (`m`): the front end reads it and hands over a new state
    /// (``EditorState/switched(to:)``).
    case openHandset(String)
    /// Leave the editor.
    case quit
}


/// The document handed to a background lint. The lint takes a copy of its own at once and lets
/// go of the editor's, so that the next edit finds the document's storage unshared and edits it
/// in place (holding it for the whole lint made every edit meanwhile copy 33 MB: 24 ms).
public final class LintSnapshot: @unchecked Sendable {
    private var document: CfgDocument?
    private let lock = NSLock()

    public init(_ document: CfgDocument) { self.document = document }

    /// A copy of the document of its own (scanned again), the editor's let go.
    public func take() -> CfgDocument {
        lock.lock()
        let bytes = document!.bytes.withUnsafeBufferPointer { Array($0) }
        let encoding = document!.encoding
        document = nil
        lock.unlock()
        return CfgDocument(text: bytes, encoding: encoding)
    }
}

