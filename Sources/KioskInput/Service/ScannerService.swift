import Foundation
import Synchronization

/// The scanner service: finds the configured input devices and reads them, each on a thread of
/// its own, picks up devices that come and releases those that go (sysfs is looked at again
/// every `rescanInterval`), and reports every scan from every source as one stream of events.
public final class ScannerService: Sendable {
    public struct Configuration: Sendable {
        public var wedges: [WedgeRule]
        public var serial: [SerialRule]
        public var hidPOS: HIDPOSRule?
        /// The development socket (`scanners.dev_socket`): nil unless configured.
        public var devSocket: String?
        public var sysfs: String
        public var rescanInterval: Duration

        public init(wedges: [WedgeRule] = [], serial: [SerialRule] = [], hidPOS: HIDPOSRule? = nil, devSocket: String? = nil,
                    sysfs: String = "/sys", rescanInterval: Duration = .seconds(1)) {
            self.wedges = wedges
            self.serial = serial
            self.hidPOS = hidPOS
            self.devSocket = devSocket
            self.sysfs = sysfs
            self.rescanInterval = rescanInterval
        }
    }

    public let configuration: Configuration
    private let state = Mutex(State())

    private struct State {
        var stopped = false
        /// Devices being read, and devices that failed to open (not retried until they go away).
        var active: Set<String> = []
        var failed: Set<String> = []
        var threads = 0
    }

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    public var isStopped: Bool { state.withLock { $0.stopped } }

    public func stop() { state.withLock { $0.stopped = true } }

    /// Starts the service and returns its events. The stream ends after `stop()` (once every
    /// device thread has released its device) or when the consumer stops listening.
    public func events() -> AsyncStream<ScannerEvent> {
        let (stream, continuation) = AsyncStream<ScannerEvent>.makeStream(bufferingPolicy: .unbounded)
        continuation.onTermination = { [self] _ in stop() }
        let emit: @Sendable (ScannerEvent) -> Void = { continuation.yield($0) }
        let thread = Thread { [self] in
            if let path = configuration.devSocket { startSocket(path, emit: emit) }
            if let rule = configuration.hidPOS { startThread("kiosk-hidpos") { [self] in HIDPOSReader(rule: rule).run(shouldStop: { self.isStopped }, emit: emit) } }
            while !isStopped {
                discover(emit: emit)
                Thread.sleep(forTimeInterval: Double(configuration.rescanInterval.components.seconds)
                             + Double(configuration.rescanInterval.components.attoseconds) / 1e18)
            }
            while state.withLock({ $0.threads > 0 }) { Thread.sleep(forTimeInterval: 0.01) }
            continuation.finish()
        }
        thread.name = "kiosk-scanners"
        thread.start()
        return stream
    }

    /// Runs the service until the calling task is cancelled, handing each event to `handle`.
    public func run(_ handle: @Sendable (ScannerEvent) async -> Void) async {
        let stream = events()
        await withTaskCancellationHandler {
            for await event in stream { await handle(event) }
        } onCancel: {
            stop()
        }
    }

    private func discover(emit: @escaping @Sendable (ScannerEvent) -> Void) {
        let inputs = InputDiscovery.devices(sysfs: configuration.sysfs)
        let serials = SerialDiscovery.devices(sysfs: configuration.sysfs)
        let present = Set(inputs.map(\.node) + serials.map(\.node))
        state.withLock { $0.failed.formIntersection(present) }
        for device in inputs {
            guard let rule = WedgeRule.rule(for: device, in: configuration.wedges), claim(device.node) else { continue }
            let role = rule.configuration.role == .scanner ? "scanner, grabbed" : "shared keyboard, not grabbed"
            emit(.deviceAdded(source: .evdev, device: device.node, description: "\(device.deviceName) [\(device.usbID ?? "no USB id")] (\(role))"))
            startThread("kiosk-wedge") { [self] in
                let why = WedgeReader(node: device.node, configuration: rule.configuration, sysfsPath: device.sysfsPath).run(shouldStop: { self.isStopped }, emit: emit)
                release(device.node, failed: why != nil && why != "unplugged")
                emit(.deviceRemoved(source: .evdev, device: device.node, reason: why ?? "stopped"))
            }
        }
        for device in serials {
            guard let rule = SerialRule.rule(for: device, in: configuration.serial), claim(device.node) else { continue }
            emit(.deviceAdded(source: .serial, device: device.node, description: "\(device.deviceName) [\(device.usbID ?? "no USB id")]"))
            startThread("kiosk-serial") { [self] in
                let why = SerialReader(node: device.node, configuration: rule.configuration).run(shouldStop: { self.isStopped }, emit: emit)
                release(device.node, failed: why != nil && why != "unplugged")
                emit(.deviceRemoved(source: .serial, device: device.node, reason: why ?? "stopped"))
            }
        }
    }

    private func claim(_ node: String) -> Bool {
        state.withLock { s in
            guard !s.stopped, !s.active.contains(node), !s.failed.contains(node) else { return false }
            s.active.insert(node)
            return true
        }
    }

    private func release(_ node: String, failed: Bool) {
        state.withLock { s in
            s.active.remove(node)
            if failed { s.failed.insert(node) }
        }
    }

    private func startSocket(_ path: String, emit: @escaping @Sendable (ScannerEvent) -> Void) {
        startThread("kiosk-scan-socket") { [self] in
            do {
                let socket = try DevScanSocket(listeningAt: path)
                emit(.deviceAdded(source: .socket, device: path, description: "development scan socket"))
                while !isStopped {
                    if let bytes = try socket.receive(timeout: .milliseconds(200)) {
                        emit(.scan(Scan(source: .socket, device: path, bytes: bytes, symbology: nil, at: .now)))
                    }
                }
                emit(.deviceRemoved(source: .socket, device: path, reason: "stopped"))
            } catch {
                emit(.deviceRemoved(source: .socket, device: path, reason: "\(error)"))
            }
        }
    }

    private func startThread(_ name: String, _ body: @escaping @Sendable () -> Void) {
        state.withLock { $0.threads += 1 }
        let thread = Thread { [self] in
            body()
            state.withLock { $0.threads -= 1 }
        }
        thread.name = name
        thread.start()
    }
}
