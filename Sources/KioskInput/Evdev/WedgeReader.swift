import Foundation

/// Reads one keyboard-wedge device until it goes away or `shouldStop` says so: grabs it when it
/// is a scanner (a shared keyboard is never grabbed), turns its keys into scans, reports through
/// `emit`. Blocking: run it on a thread of its own.
public struct WedgeReader {
    public let node: String
    public let configuration: WedgeConfiguration
    /// The device's sysfs directory: when it disappears the device is gone, even if its node
    /// does not say so (a kernel says ENODEV; a test bed may only remove the device from sysfs).
    public let sysfsPath: String?

    public init(node: String, configuration: WedgeConfiguration, sysfsPath: String? = nil) {
        self.node = node
        self.configuration = configuration
        self.sysfsPath = sysfsPath
    }

    /// Returns why the device is no longer read (nil: stopped).
    public func run(shouldStop: () -> Bool, emit: (ScannerEvent) -> Void) -> String? {
        let device: EvdevDevice
        do {
            device = try EvdevDevice(path: node)
            if configuration.role == .scanner { try device.grab() }
        } catch {
            return error.description
        }
        defer { device.close() }
        var assembler = WedgeAssembler(configuration)
        // Kernel timestamps tell the gaps between keys; a timeout is measured from the last key's
        // timestamp plus the time since it arrived.
        let clock = ContinuousClock()
        var lastKernel: Duration?
        var lastArrival = clock.now
        func report(_ outputs: [WedgeAssembler.Output]) {
            for output in outputs {
                switch output {
                case .scan(let bytes, _, _):
                    emit(.scan(Scan(source: .evdev, device: node, bytes: bytes, symbology: nil, at: clock.now)))
                case .discarded(let why, let count):
                    emit(.discarded(source: .evdev, device: node, reason: why.rawValue, count: count))
                }
            }
        }
        while !shouldStop() {
            let wait: Duration? = assembler.deadline.flatMap { deadline in
                guard let lastKernel else { return nil }
                return max(.zero, deadline - lastKernel - (clock.now - lastArrival)) + .milliseconds(1)
            }
            let result: EvdevDevice.ReadResult
            do { result = try device.read(timeout: wait.map { min($0, .milliseconds(250)) }) } catch {
                report(assembler.reset())
                return error.isDeviceGone ? "unplugged" : error.description
            }
            switch result {
            case .timeout:
                if let lastKernel { report(assembler.tick(at: lastKernel + (clock.now - lastArrival))) }
                if let sysfsPath, !FileManager.default.fileExists(atPath: sysfsPath) {
                    report(assembler.reset())
                    return "unplugged"
                }
            case .events(let keys):
                for key in keys {
                    lastKernel = key.time
                    lastArrival = clock.now
                    report(assembler.key(key))
                }
            }
        }
        return nil
    }
}
