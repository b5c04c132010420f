import CLibUSB
import Foundation

/// Which USB devices are HID POS scanners: configured USB ids, or (with `byUsagePage`) any HID
/// interface whose report descriptor declares the Bar Code Scanner page 0x8C.
public struct HIDPOSRule: Sendable, Hashable {
    public var usbIDs: [String]
    public var byUsagePage: Bool
    public var layout: HIDPOSReportLayout

    public init(usbIDs: [String] = [], byUsagePage: Bool = true, layout: HIDPOSReportLayout = .honeywell) {
        self.usbIDs = usbIDs.map { $0.lowercased() }
        self.byUsagePage = byUsagePage
        self.layout = layout
    }
}

/// Finds HID POS scanners with libusb, claims their HID interface (the kernel driver detached
/// while claimed if it held it, re-attached on release), reads interrupt reports with a 250 ms timeout (so a
/// device that stops answering never hangs the reader), assembles scans, and releases the
/// interface on stop and on unplug. Blocking: run it on a thread of its own.
public struct HIDPOSReader: Sendable {
    public let rule: HIDPOSRule

    public init(rule: HIDPOSRule) { self.rule = rule }

    public func run(shouldStop: @escaping @Sendable () -> Bool, emit: @escaping @Sendable (ScannerEvent) -> Void) {
        let ctx: USBContext
        do { ctx = try USBContext() } catch {
            emit(.deviceRemoved(source: .hidPOS, device: "libusb", reason: error.description))
            return
        }
        let active = ActiveSet()
        // Scanners that could not be opened or claimed (busy, no permission): not retried until they go.
        let failed = ActiveSet()
        // Scanners unplugged while claimed, by location and bus address: a device libusb still
        // lists at the same address is the one that went away (until udev's remove event reaches
        // libusb), not a scanner plugged in again (the kernel gives that one a new address), so it
        // is not taken — nor reported — again; forgotten once it is no longer listed.
        let unplugged = ActiveSet()
        // Devices found not to be scanners, by location and id: not asked again until they go.
        var notScanners: Set<String> = []
        while !shouldStop() {
            var present: Set<String> = []
            var presentAddresses: Set<String> = []
            let found: [(OpaquePointer, USBDeviceInfo, USBDeviceInfo.Interface, String)] = (try? ctx.withDevices { devices in
                devices.compactMap { dev in
                    guard let info = USBDevices.info(dev) else { return nil }
                    let key = info.location + "/" + info.usbID
                    let address = info.location + "@" + String(libusb_get_device_address(dev))
                    present.insert(key)
                    presentAddresses.insert(address)
                    guard !active.contains(info.location), !notScanners.contains(key), !failed.contains(key),
                          !unplugged.contains(address) else { return nil }
                    guard let iface = scannerInterface(dev, info) else {
                        notScanners.insert(key)
                        return nil
                    }
                    libusb_ref_device(dev)
                    return (dev, info, iface, address)
                }
            }) ?? []
            notScanners.formIntersection(present)
            failed.keep(present)
            unplugged.keep(presentAddresses)
            for (dev, info, iface, address) in found {
                active.insert(info.location)
                let device = UncheckedDevice(pointer: dev)
                Thread.detachNewThread {
                    defer { libusb_unref_device(device.pointer); active.remove(info.location) }
                    let name = "usb:" + info.location
                    let added = ScannerEvent.deviceAdded(source: .hidPOS, device: name, description: "\(info.product ?? "HID POS scanner") [\(info.usbID)]")
                    var reported = false
                    let ending = read(device.pointer, info, iface, shouldStop: shouldStop, emit: emit, claimed: {
                        emit(added)
                        reported = true
                    })
                    switch ending {
                    case .stopped:
                        emit(.deviceRemoved(source: .hidPOS, device: name, reason: "stopped"))
                    case .unplugged:
                        unplugged.insert(address)
                        // Gone before it was claimed (a stale entry of libusb's list): nothing to report.
                        if reported { emit(.deviceRemoved(source: .hidPOS, device: name, reason: "unplugged")) }
                    case .failed(let why):
                        failed.insert(info.location + "/" + info.usbID)
                        if !reported { emit(added) }
                        emit(.deviceRemoved(source: .hidPOS, device: name, reason: why))
                    }
                }
            }
            Thread.sleep(forTimeInterval: 1)
        }
        while !active.isEmpty { Thread.sleep(forTimeInterval: 0.01) }
    }

    /// How a scanner's reading ended.
    enum Ending: Equatable {
        case stopped
        /// The device went away (`LIBUSB_ERROR_NO_DEVICE`), claimed or before it could be.
        case unplugged
        case failed(String)
    }

    private func scannerInterface(_ dev: OpaquePointer, _ info: USBDeviceInfo) -> USBDeviceInfo.Interface? {
        let hid = info.hidInterfaces.filter { $0.interruptIn != nil }
        if rule.usbIDs.contains(info.usbID) { return hid.first }
        guard rule.byUsagePage else { return nil }
        var handle: OpaquePointer?
        guard libusb_open(dev, &handle) == 0, let handle else { return nil }
        defer { libusb_close(handle) }
        for iface in hid {
            var buf = [UInt8](repeating: 0, count: 1024)
            // GET_DESCRIPTOR (HID report descriptor, type 0x22) from the interface.
            let n = libusb_control_transfer(handle, 0x81, 0x06, 0x2200, UInt16(iface.number), &buf, UInt16(buf.count), 500)
            if n > 0, USBDevices.declaresBarCodeScannerPage(Array(buf.prefix(Int(n)))) { return iface }
        }
        return nil
    }

    private func read(_ dev: OpaquePointer, _ info: USBDeviceInfo, _ iface: USBDeviceInfo.Interface,
                      shouldStop: () -> Bool, emit: (ScannerEvent) -> Void, claimed: () -> Void) -> Ending {
        func failure(_ operation: String, _ r: Int32) -> Ending {
            let e = USBError(operation, r)
            return e.isDeviceGone ? .unplugged : .failed(e.description)
        }
        var handle: OpaquePointer?
        var r = libusb_open(dev, &handle)
        guard r == 0, let handle else { return failure("libusb_open", r) }
        defer { libusb_close(handle) }
        // The kernel's HID driver is detached only if it holds the interface (asking may fail
        // where usbdevfs cannot tell: then the claim says whether the interface is free), and
        // attached again when the interface is released.
        let number = Int32(iface.number)
        var detached = false
        if libusb_kernel_driver_active(handle, number) == 1 {
            r = libusb_detach_kernel_driver(handle, number)
            guard r == 0 else { return failure("libusb_detach_kernel_driver", r) }
            detached = true
        }
        defer { if detached { _ = libusb_attach_kernel_driver(handle, number) } }
        r = libusb_claim_interface(handle, number)
        guard r == 0 else { return failure("libusb_claim_interface", r) }
        defer { _ = libusb_release_interface(handle, number) }
        claimed()
        let name = "usb:" + info.location
        let clock = ContinuousClock()
        let start = clock.now
        var assembler = HIDPOSAssembler(layout: rule.layout)
        func report(_ outputs: [HIDPOSAssembler.Output]) {
            for o in outputs {
                switch o {
                case .scan(let bytes, let aim): emit(.scan(Scan(source: .hidPOS, device: name, bytes: bytes, symbology: aim, at: clock.now)))
                case .discarded(let why): emit(.discarded(source: .hidPOS, device: name, reason: why, count: 0))
                }
            }
        }
        var buf = [UInt8](repeating: 0, count: 64)
        while !shouldStop() {
            var transferred: Int32 = 0
            r = libusb_interrupt_transfer(handle, UInt8(iface.interruptIn ?? 0x81), &buf, Int32(buf.count), &transferred, 250)
            let now = clock.now - start
            if r == 0 {
                report(assembler.report(Array(buf.prefix(Int(transferred))), at: now))
            } else if r == LIBUSB_ERROR_TIMEOUT.rawValue {
                report(assembler.tick(at: now))
            } else {
                // A scan cut off by the unplug is discarded, not half-delivered.
                report(assembler.reset())
                return failure("libusb_interrupt_transfer", r)
            }
        }
        return .stopped
    }
}

/// A libusb device pointer handed to the thread that reads it (referenced while it does).
private struct UncheckedDevice: @unchecked Sendable { let pointer: OpaquePointer }

private final class ActiveSet: @unchecked Sendable {
    private let lock = NSLock()
    private var set: Set<String> = []
    func contains(_ s: String) -> Bool { lock.withLock { set.contains(s) } }
    func insert(_ s: String) { lock.withLock { _ = set.insert(s) } }
    func remove(_ s: String) { lock.withLock { _ = set.remove(s) } }
    var isEmpty: Bool { lock.withLock { set.isEmpty } }
    func keep(_ others: Set<String>) { lock.withLock { set.formIntersection(others) } }
}
