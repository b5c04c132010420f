import Foundation
import KioskTestSupport
import Testing
@testable import KioskInput

/// Scanners plugged in and pulled out while the service runs: a umockdev testbed changed under the
/// running service by `kiosk/dev/hotplug/umockdev-driver`.
enum UmockdevDriver {
    static var path: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("kiosk/dev/hotplug/umockdev-driver").path
    }
    static var available: Bool {
        FileManager.default.fileExists(atPath: "/usr/lib/x86_64-linux-gnu/girepository-1.0/UMockdev-1.0.typelib")
            && FileManager.default.fileExists(atPath: "/usr/lib/python3/dist-packages/gi")
    }
}

@Suite(.serialized, .enabled(if: UmockdevDriver.available, "python3-gi with umockdev's typelib is not installed"))
struct ScannerHotplugTests {

    /// The running driver: commands in, the probe's JSON lines out.
    final class Driver {
        let process = Process()
        let input = Pipe(), output = Pipe(), acks = Pipe()
        var buffer = Data()

        init(_ probeArgs: [String]) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = [UmockdevDriver.path, "--", try ProductLocator.executable("scanner-probe")] + probeArgs
            process.standardInput = input
            process.standardOutput = output
            process.standardError = acks
            try process.run()
            // Never left hanging: the whole exchange gets 60 s.
            let process = self.process
            DispatchQueue.global().asyncAfter(deadline: .now() + 60) { if process.isRunning { process.terminate() } }
        }

        func send(_ command: String) {
            input.fileHandleForWriting.write(Data((command + "\n").utf8))
            var ack = Data()
            while !String(decoding: ack, as: UTF8.self).contains("ok\n") {
                let chunk = acks.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                ack += chunk
            }
        }

        /// The next JSON line of the probe.
        func next() -> [String: Any]? {
            while true {
                if let nl = buffer.firstIndex(of: 0x0A) {
                    let line = buffer[buffer.startIndex..<nl]
                    buffer = Data(buffer[(nl + 1)...])
                    return try? JSONSerialization.jsonObject(with: line) as? [String: Any]
                }
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { return nil }
                buffer += chunk
            }
        }

        func next(_ event: String) -> [String: Any]? {
            while let line = next() { if line["event"] as? String == event { return line } }
            return nil
        }

        func stop() {
            send("quit")
            process.waitUntilExit()
        }
    }

    static let sysfs = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0/input/input5"

    func files() throws -> (TemporaryDirectory, String, String, String, String) {
        let dir = try TemporaryDirectory()
        let device = dir.file("scanner.umockdev")
        try Umockdev.inputDevice(event: 5, vendor: "05e0", product: "1200", name: "Symbol Bar Code Scanner").write(toFile: device, atomically: true, encoding: .utf8)
        // Plugged in again, the kernel numbers the event device anew (umockdev could not re-create
        // a node it removed in any case: it keeps the old node's file descriptor).
        let again = dir.file("scanner-again.umockdev")
        try Umockdev.inputDevice(event: 6, vendor: "05e0", product: "1200", name: "Symbol Bar Code Scanner").write(toFile: again, atomically: true, encoding: .utf8)
        var partial = KeySequence(start: .milliseconds(100))
        partial.type("5901234")
        let cut = dir.file("partial.events")
        try partial.evemu.write(toFile: cut, atomically: true, encoding: .utf8)
        var full = KeySequence(start: .milliseconds(100))
        full.type("96385074")
        full.enter()
        let whole = dir.file("full.events")
        try full.evemu.write(toFile: whole, atomically: true, encoding: .utf8)
        return (dir, device, again, cut, whole)
    }

    @Test func aScannerPluggedInIsTakenPulledOutMidScanIsReleasedAndPluggedAgainIsTakenAgain() throws {
        let (dir, device, again, cut, whole) = try files()
        _ = dir
        // A long inter-key timeout: the partial scan is still under way when the scanner is pulled.
        let d = try Driver(["service", "--wedge-usb", "05e0:1200", "--inter-key-ms", "5000", "--events", "1", "--timeout", "20"])
        defer { if d.process.isRunning { d.process.terminate() } }
        Thread.sleep(forTimeInterval: 0.3) // the service runs with no scanner
        d.send("add \(device)")
        d.send("events /dev/input/event5 \(cut)")
        #expect(d.next("added")?["device"] as? String == "/dev/input/event5")
        Thread.sleep(forTimeInterval: 0.5) // the seven digits are read
        d.send("remove \(Self.sysfs)/event5 \(Self.sysfs)")
        let discarded = d.next()
        #expect(discarded?["event"] as? String == "discarded")
        #expect(discarded?["reason"] as? String == "incomplete")
        #expect(discarded?["count"] as? Int == 7)
        let removed = d.next()
        #expect(removed?["event"] as? String == "removed")
        #expect(removed?["reason"] as? String == "unplugged")
        // Plugged in again: taken again, and its scan arrives.
        d.send("add \(again)")
        d.send("events /dev/input/event6 \(whole)")
        #expect(d.next("added")?["device"] as? String == "/dev/input/event6")
        let scan = d.next("scan")
        #expect(scan?["text"] as? String == "96385074")
        d.stop()
    }
}
