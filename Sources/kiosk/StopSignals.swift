import Dispatch
import Glibc

/// SIGINT and SIGTERM turned into a call on a dispatch queue, for the commands that run until
/// stopped (`sim card`, `diag readers --watch`): the handler stops the work, and the command
/// returns normally (exit 0) after its own clean-up. Nothing runs inside a signal handler.
struct StopSignals {
    private let sources: [any DispatchSourceSignal]

    init(_ stop: @escaping @Sendable () -> Void) {
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: stop)
            source.resume()
            return source
        }
    }

    /// Gives the signals their default action back.
    func cancel() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
