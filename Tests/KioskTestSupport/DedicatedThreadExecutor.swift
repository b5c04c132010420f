import Foundation

/// A task executor with a thread of its own, for a server a test runs in its own process.
///
/// A real central runs in another process; one a test starts in-process would otherwise share the
/// cooperative pool with every other test, and on a two-core machine two tests blocked in a
/// synchronous wait (a child process, a sleep) are the whole pool: the server then answers nothing
/// until they finish and its clients time out. Run the server's task under
/// `withTaskExecutorPreference(executor)`: its child tasks and the default actors they call run on
/// this thread, whatever the rest of the process is doing.
public final class DedicatedThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    public init(name: String) {
        // The thread keeps the executor: a job may still be queued when its last owner lets go.
        let thread = Thread { self.serve() }
        thread.name = name
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func serve() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
