/// Reads one serial scanner until it goes away or `shouldStop` says so. Blocking.
public struct SerialReader {
    public let node: String
    public let configuration: SerialFramer.Configuration

    public init(node: String, configuration: SerialFramer.Configuration) {
        self.node = node
        self.configuration = configuration
    }

    public func run(shouldStop: () -> Bool, emit: (ScannerEvent) -> Void) -> String? {
        let port: SerialPort
        do { port = try SerialPort(path: node, baudRate: configuration.baudRate) } catch { return error.description }
        defer { port.close() }
        let clock = ContinuousClock()
        let start = clock.now
        var framer = SerialFramer(configuration)
        func report(_ outputs: [SerialFramer.Output]) {
            for o in outputs {
                switch o {
                case .scan(let bytes): emit(.scan(Scan(source: .serial, device: node, bytes: bytes, symbology: nil, at: clock.now)))
                case .discarded(let why, let count): emit(.discarded(source: .serial, device: node, reason: why, count: count))
                }
            }
        }
        while !shouldStop() {
            let now = clock.now - start
            let wait = framer.deadline.map { max(.zero, $0 - now) + .milliseconds(1) } ?? .milliseconds(250)
            do {
                if let bytes = try port.read(timeout: min(wait, .milliseconds(250))) {
                    report(framer.feed(bytes, at: clock.now - start))
                } else {
                    report(framer.tick(at: clock.now - start))
                }
            } catch {
                report(framer.reset())
                return error.isDeviceGone ? "unplugged" : error.description
            }
        }
        return nil
    }
}
