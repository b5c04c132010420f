import KioskText
import Synchronization

/// Laid-out text kept between frames: a screen redrawn at 60 frames a second shapes each of its
/// strings once, not every frame. Bounded: emptied when it grows past `limit` entries.
final class LayoutCache: Sendable {
    struct Key: Hashable {
        let text: String
        let bold: Bool
        let pixelSize: Double
        let maxWidth: Double?
        let maxLines: Int
        let base: BaseDirection
    }

    let limit: Int
    private let entries = Mutex<[Key: TextBlock]>([:])

    init(limit: Int = 1024) { self.limit = limit }

    func block(_ key: Key, _ make: () -> TextBlock) -> TextBlock {
        if let hit = entries.withLock({ $0[key] }) { return hit }
        let block = make()
        entries.withLock { entries in
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            entries[key] = block
        }
        return block
    }

    var count: Int { entries.withLock { $0.count } }
}
