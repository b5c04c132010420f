import Foundation
import KioskCore
import KioskInput
import KioskScan
import KioskSession
import Logging
import ServiceLifecycle

/// The scanners in the kiosk's service group: every scan read for its meaning and handed to the
/// session (a member's QR as a presentation, a receipt, a voucher, an enrollment link), logged
/// by kind and ids only, never a token, a signature or typed keys.
public struct ScannerFeed: Service {
    public let service: ScannerService
    public let interpreter: ScanInterpreter
    public let driver: SessionDriver
    public let presentations: Presentations
    public let gate: StoreGate
    let logger: Logger

    public init(service: ScannerService, interpreter: ScanInterpreter, driver: SessionDriver, presentations: Presentations,
                gate: StoreGate, logger: Logger) {
        self.gate = gate
        self.service = service
        self.interpreter = interpreter
        self.driver = driver
        self.presentations = presentations
        self.logger = logger
    }

    public func run() async throws {
        let events = service.events()
        await withTaskCancellationOrGracefulShutdownHandler {
            for await event in events { await handle(event) }
        } onCancelOrGracefulShutdown: {
            service.stop()
        }
    }

    private func handle(_ event: ScannerEvent) async {
        switch event {
        case .deviceAdded(let source, let device, let description):
            logger.info("scanner added", metadata: ["source": "\(source.rawValue)", "device": "\(device)", "what": "\(description)"])
        case .deviceRemoved(let source, let device, let reason):
            logger.info("scanner removed", metadata: ["source": "\(source.rawValue)", "device": "\(device)", "reason": "\(reason)"])
        case .discarded(let source, let device, let reason, let count):
            logger.debug("keys discarded", metadata: ["source": "\(source.rawValue)", "device": "\(device)", "reason": "\(reason)", "count": "\(count)"])
        case .scan(let scan):
            let now = Date()
            let at = now.addingTimeInterval(-(ContinuousClock.now - scan.at).seconds)
            let meaning = interpreter.interpret(scan.bytes, symbology: scan.symbology, now: Int64(now.timeIntervalSince1970))
            logger.info("scan", metadata: ["source": "\(scan.source.rawValue)", "device": "\(scan.device)",
                                           "kind": "\(meaning.kind)", "meaning": "\(meaning.summary)"])
            let input = await self.input(meaning, scan: scan, at: at)
            driver.submit(input)
        }
    }

    func input(_ meaning: ScanMeaning, scan: Scan, at: Date) async -> SessionInput {
        switch meaning {
        case .member(let token, _):
            let identity: Identity
            do { identity = try await gate.run { [presentations] in presentations.identify(member: token.member, at: at) } } catch {
                identity = .unreadable
            }
            return .presented(KioskSession.Presentation(source: .scanner(scan.device), card: nil, identity: identity, at: at))
        case .receipt(let receipt):
            // The text the interpreter verified, not the bytes as sent (an AIM identifier, a
            // terminator, Caps Lock would make the claim refuse a genuine receipt).
            guard let payload = interpreter.receiptPayload(scan.bytes, symbology: scan.symbology) else { return .scanned(.unusable, at: at) }
            return .scanned(.receipt(ReceiptRef(id: "\(receipt.pos)/\(receipt.receiptID)", amount: Rial(receipt.total), payload: payload)),
                            at: at)
        case .voucher(let voucher): return .scanned(.voucher(code: voucher.code), at: at)
        case .enrollment(let link): return .scanned(.enrollmentLink(source: link.source, referralCode: link.referralCode), at: at)
        case .product(let product): return .scanned(.product(gtin: product.gtin), at: at)
        case .gift(let link): return .scanned(.gift(item: link.item), at: at)
        case .refused(let error) where error.code == .receipt: return .scanned(.forgedReceipt, at: at)
        case .gs1, .text, .refused: return .scanned(.unusable, at: at)
        }
    }
}
