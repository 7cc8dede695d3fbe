// The fleet figure: `lint --each-handset` over a generated directory of 5,000 handsets beside a
// Python peer that only resolves each handset's CONFIG_FILES and builds its effective values with
// ElementTree, parsing each distinct file once.
import Foundation

/// The peer: every handset's effective values, each distinct file parsed (and its attributes
/// gathered) once; prints how many effective values it built.
let fleetPeer = """
import os, re, sys, xml.etree.ElementTree as ET
d = sys.argv[1]
names = os.listdir(d)
macs = sorted({n[:12].lower() for n in names
               if re.match(r'^[0-9a-fA-F]{12}(\\.cfg|-.*\\.cfg)$', n, re.I) and n[:12] != '000000000000'})
parsed = {}
def params(name):
    if name not in parsed:
        path = os.path.join(d, name)
        values = None
        if os.path.exists(path):
            values = {}
            for e in ET.parse(path).getroot().iter():
                for k, v in e.attrib.items():
                    values.setdefault(k.lower(), v)
        parsed[name] = values
    return parsed[name]
total = 0
for mac in macs:
    master = params(mac + '.cfg') or params('000000000000.cfg')
    effective = {}
    for entry in master['config_files'].split(','):
        values = params(entry.strip().replace('[PHONE_MAC_ADDRESS]', mac))
        if values is None:
            continue
        for k, v in values.items():
            effective.setdefault(k, v)
    total += len(effective)
print(len(macs), total)
"""

/// A provisioning directory of `count` handsets: a shared site file of about 100 KB (the CA, the
/// profile, registrations), `wireless.cfg` (EAP-TLS) and one device-certificate file each
/// (an RSA 2048 certificate and key made once by openssl). Written once, kept between runs.
func fleetDirectory(count: Int) -> URL? {
    let registrations = 600
    let dir = work.appendingPathComponent("fleet-\(count)-\(registrations)")
    let last = dir.appendingPathComponent(String(format: "%012x-device.cfg", 0x0004f2000000 + count))
    if FileManager.default.fileExists(atPath: last.path) { return dir }
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let pki = """
        set -e
        openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 -subj "/CN=Bench Root"
        openssl req -newkey rsa:2048 -nodes -keyout dev.key -out dev.csr -subj /CN=device
        openssl x509 -req -in dev.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out dev.pem -days 365
        """
    let made = Process()
    made.executableURL = URL(fileURLWithPath: "/bin/sh")
    made.arguments = ["-c", pki]
    made.currentDirectoryURL = dir
    made.standardError = FileHandle.nullDevice
    guard (try? made.run()) != nil else { return nil }
    made.waitUntilExit()
    func text(_ name: String) -> String {
        ((try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
    func write(_ name: String, _ text: String) {
        try? text.write(to: dir.appendingPathComponent(name), atomically: false, encoding: .utf8)
    }
    write("000000000000.cfg", "<?xml version=\"1.0\" standalone=\"yes\"?>\n"
        + "<APPLICATION CONFIG_FILES=\"[PHONE_MAC_ADDRESS]-device.cfg, site.cfg, wireless.cfg\"/>\n")
    let lines = (1...registrations).map { n in
        "  <reg reg.\(n).address=\"\(2000 + n)@pbx.example.com\" reg.\(n).label=\"Line \(n)\" "
            + "reg.\(n).displayName=\"Extension \(2000 + n)\" reg.\(n).auth.userId=\"\(2000 + n)\" "
            + "reg.\(n).auth.password=\"secret\(n)\"/>\n"
    }.joined()
    write("site.cfg", "<?xml version=\"1.0\" standalone=\"yes\"?>\n<site>\n  <device device.set=\"1\" "
        + "device.sec.TLS.customCaCert1=\"\(text("ca.pem"))\" device.sec.TLS.customCaCert1.set=\"1\" "
        + "device.sec.TLS.profileSelection.dot1x=\"PlatformProfile1\" device.sec.TLS.profileSelection.dot1x.set=\"1\" "
        + "device.sec.TLS.profile.deviceCert1=\"Platform1\" device.sec.TLS.profile.deviceCert1.set=\"1\"/>\n"
        + lines + "</site>\n")
    write("wireless.cfg", "<?xml version=\"1.0\" standalone=\"yes\"?>\n<wireless device.wifi.ssid=\"Corp\" "
        + "device.wifi.ssid.set=\"1\" device.wifi.securityMode=\"WPA2-Enterprise\" device.wifi.securityMode.set=\"1\" "
        + "device.wifi.wpa2Ent.method=\"EAP-TLS\" device.wifi.wpa2Ent.method.set=\"1\"/>\n")
    let device = "<?xml version=\"1.0\" standalone=\"yes\"?>\n<device "
        + "device.sec.TLS.customDeviceCert1.publicCert=\"\(text("dev.pem"))\" "
        + "device.sec.TLS.customDeviceCert1.privateKey=\"\(text("dev.key"))\" "
        + "device.sec.TLS.customDeviceCert1.set=\"1\"/>\n"
    for n in 1...count { write(String(format: "%012x-device.cfg", 0x0004f2000000 + n), device) }
    return dir
}

/// `lint --each-handset` of 5,000 handsets on one core and on every core, beside the peer.
func fleetFigures(runs: Int) {
    let count = 5_000
    guard let dir = fleetDirectory(count: count) else {
        print("\n(fleet: no openssl)")
        return
    }
    let bytes = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).reduce(0) { total, name in
        total + ((try? FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(name).path)[.size]
            as? Int) ?? 0)
    }
    let site = (try? FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("site.cfg").path)[.size]
        as? Int) ?? 0
    print("\nFleet: \(count) handsets, site.cfg \(site / 1000) KB, directory \(bytes / 1_000_000) MB "
        + "(median of \(runs)):\n")
    print("| case | time | peak memory |")
    print("|---|---|---|")
    let peerCommand = ["python3", "-c", fleetPeer, dir.path]
    let peer = median(peerCommand, runs: runs)
    print("| Python peer (resolve CONFIG_FILES, effective values, each file parsed once) | \(format(peer.seconds)) "
        + "| \(ownPeak(peerCommand)) |")
    for (jobs, label) in [("1", "one core"), ("\(ProcessInfo.processInfo.activeProcessorCount)", "every core")] {
        let command = ["env", "SLCFG_JOBS=\(jobs)", slcfg, "lint", dir.path, "--each-handset", "--format", "gcc"]
        let m = median(command, runs: runs, acceptedStatus: [0, 1])
        let ratio = String(format: "%.2f", m.seconds / peer.seconds)
        let goal = 3 * bytes / 1_000_000 + 50
        print("| lint --each-handset, \(label) | \(format(m.seconds)) (\(ratio)× the peer; "
            + "CPU \(format(m.cpuSeconds))) | \(ownPeak(command)) (goal < \(goal) MB) |")
    }
}

/// The peak memory of a command alone, as `/usr/bin/time` sees it: a process spawned from this
/// one (posix_spawn shares its memory until exec) inherits this process's peak in `ru_maxrss`.
func ownPeak(_ argv: [String]) -> String {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else { return "(no /usr/bin/time)" }
    let report = work.appendingPathComponent("peak.txt").path
    _ = measure(["/usr/bin/time", "-f", "%M", "-o", report] + argv, acceptedStatus: [0, 1])
    let kilobytes = Int(((try? String(contentsOfFile: report, encoding: .utf8)) ?? "")
        .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last ?? "") ?? 0
    return "\(kilobytes / 1024) MB"
}
