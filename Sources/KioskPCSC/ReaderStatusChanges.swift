import Foundation

/// Status changes of the readers as an `AsyncSequence` of `ReaderEvent`s, driven by
/// `SCardGetStatusChange` on a dedicated thread (it blocks, so it stays off the cooperative
/// pool), including reader arrival and removal through the `\\?PnP?\Notification`
/// pseudo-reader. The sequence ends by throwing the `PCSCError` that stopped it (for example
/// `.noService` when pcscd went away); cancelling the consuming task cancels the wait.
public struct ReaderStatusChanges: AsyncSequence, Sendable {
    public typealias Element = ReaderEvent

    private let context: PCSCContext
    private let include: @Sendable (String) -> Bool

    /// Watches the readers whose names `include` accepts.
    public init(context: PCSCContext, include: @escaping @Sendable (String) -> Bool = { _ in true }) {
        self.context = context
        self.include = include
    }

    public func makeAsyncIterator() -> AsyncThrowingStream<ReaderEvent, any Error>.Iterator {
        let (stream, continuation) = AsyncThrowingStream<ReaderEvent, any Error>.makeStream(bufferingPolicy: .unbounded)
        let context = self.context
        let include = self.include
        let stop = StopFlag()
        continuation.onTermination = { _ in
            stop.set()
            context.cancel()
        }
        let thread = Thread {
            var loop = ReaderStatusLoop(context: context, include: include)
            do {
                while !stop.isSet {
                    for event in try loop.step() { continuation.yield(event) }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        thread.name = "pcsc-status"
        thread.start()
        return stream.makeAsyncIterator()
    }
}

/// A flag set once from any thread.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

/// One look at the readers per `step()`: what changed since the last look. The synchronous core
/// of `ReaderStatusChanges`, for a service that runs its own thread.
public struct ReaderStatusLoop {
    public let context: PCSCContext
    let include: (String) -> Bool
    private var known: [String: ReaderState] = [:]
    /// The event count of the presentation already reported per reader.
    private var reported: [String: UInt16] = [:]
    private var plugAndPlay = ReaderState(reader: PCSCContext.plugAndPlayReader)
    private var firstLook = true

    public init(context: PCSCContext, include: @escaping (String) -> Bool) {
        self.context = context
        self.include = include
    }

    /// Waits for a change (up to `timeoutMilliseconds`, so that reader lists are refreshed even
    /// where the plug-and-play notification is missing) and returns the events it means.
    public mutating func step(timeoutMilliseconds: UInt32 = 1000) throws(PCSCError) -> [ReaderEvent] {
        var events: [ReaderEvent] = []
        let names = try context.readers().filter(include)
        for gone in known.keys where !names.contains(gone) {
            known[gone] = nil
            if reported[gone] != nil { events.append(.cardRemoved(reader: gone)) }
            reported[gone] = nil
            events.append(.readerRemoved(gone))
        }
        for name in names where known[name] == nil {
            known[name] = ReaderState(reader: name)
            events.append(.readerAdded(name))
        }
        if !events.isEmpty || firstLook {
            firstLook = false
            // Learn the new readers' states without waiting.
            let fresh = names.filter { known[$0]?.currentState == .unaware }
            if !fresh.isEmpty {
                do {
                    let states = try context.statusChange(fresh.map { known[$0]! }, timeoutMilliseconds: 0)
                    for state in states { events += record(state) }
                } catch where error == .timeout || error == .unknownReader || error == .cancelled {
                    // Nothing to learn yet, or the reader left again: the next step sees it.
                }
            }
            return events
        }
        var query = names.map { known[$0]! }
        query.append(plugAndPlay)
        let states: [ReaderState]
        do {
            states = try context.statusChange(query, timeoutMilliseconds: timeoutMilliseconds)
        } catch where error == .timeout {
            return []
        } catch where error == .unknownReader {
            return []
        } catch where error == .cancelled {
            return []
        }
        for state in states {
            if state.reader == PCSCContext.plugAndPlayReader {
                plugAndPlay.currentState = state.eventState.withoutChanged
            } else if state.eventState.contains(.changed) {
                events += record(state)
            }
        }
        return events
    }

    /// Updates what is known of one reader and says what its new state means.
    private mutating func record(_ state: ReaderState) -> [ReaderEvent] {
        var updated = state
        updated.currentState = state.eventState.withoutChanged
        known[state.reader] = updated
        let flags = state.eventState
        let name = state.reader
        if flags.contains(.present) && !flags.contains(.mute) {
            if reported[name] != flags.eventCount || reported[name] == nil {
                var events: [ReaderEvent] = []
                if reported[name] != nil { events.append(.cardRemoved(reader: name)) }
                reported[name] = flags.eventCount
                events.append(.cardPresented(reader: name, atr: state.atr))
                return events
            }
            return []
        }
        if flags.contains(.present) && flags.contains(.mute) {
            return [.cardMute(reader: name)]
        }
        if reported.removeValue(forKey: name) != nil {
            return [.cardRemoved(reader: name)]
        }
        return []
    }
}
