// `slcfg cert rotate`: a new root CA beside the old one, then (--finish) the old one out.
import ArgumentParser
import Certificates
import CfgDocument
import Handset

struct CertRotate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Replace a root CA without an outage: the new root beside the old, then --finish removes the old.",
        discussion:
            "The first step puts the new root into the other Platform CA slot and makes each profile that trusted "
                + "the old slot trust both. Move the servers to the new chain, check them with 'slcfg probe', then "
                + "run again with --finish: the old slot is emptied (its .set kept, so the handsets drop it) and the "
                + "profiles trust the new slot alone.")

    @Argument(help: "A provisioning directory or master file, or configuration files.", completion: .file())
    var paths: [String]

    @OptionGroup var slotOption: SlotOption

    @Option(help: "The new root CA's certificate (PEM, DER, or a chain whose root is taken).", completion: .file())
    var newRoot: String?

    @Flag(help: "The second step: remove the old root from --slot, once every server uses the new chain.")
    var finish = false

    @OptionGroup var setOptions: SetOptions

    @OptionGroup var destination: OutputOptions

    func run() throws {
        let root = try newRoot.map { path throws(CLIError) in try Self.root(from: path) }
        guard finish || root != nil else {
            throw CLIError(message: "the first step needs --new-root FILE (the second is --finish)", code: 64)
        }
        try destination.check(paths)
        var opened: [OpenedSet] = []
        for path in paths {
            var one = try setOptions.open(path, forUpdate: !destination.dryRun && destination.output == nil)
            one.set.reportProblems()
            let changes: [Int: [Assignment]]
            do throws(AssignmentError) {
                changes = finish
                    ? try one.set.finishRotation(from: slotOption.slot, newRoot: root)
                    : try one.set.startRotation(from: slotOption.slot, to: root!)
            } catch {
                throw CLIError(message: "\(path): \(error.description); nothing was changed", code: 1)
            }
            if changes.isEmpty { printError("\(path): nothing to change") }
            for (m, list) in changes.sorted(by: { $0.key < $1.key }) {
                for change in list { printError("\(one.set.members[m].path): \(describe(change))") }
            }
            opened.append(one)
        }
        try destination.deliver(opened)
    }

    /// The root of the certificate file: its one root, or refused saying why.
    static func root(from path: String) throws(CLIError) -> CertificateFacts {
        switch CAImport.plan(try readCertificateFile(path), allowNonRoot: false) {
        case .success(let plan): return plan.certificate
        case .failure(let refusal): throw CLIError(message: "\(path): \(refusal.description)", code: 1)
        }
    }
}
