/// umockdev device descriptions shared by the input tests and the `kiosk run` keypad test.
public enum UmockdevDevices {
    /// A USB keyboard-class input device at event N with a vendor:product id and a name.
    public static func inputDevice(event: Int, vendor: String, product: String, name: String, usbPort: Int = 1) -> String {
        let usb = "/devices/pci0000:00/0000:00:14.0/usb1/1-\(usbPort)/1-\(usbPort):1.0"
        return """
        P: \(usb)/input/input\(event)/event\(event)
        N: input/event\(event)
        E: DEVNAME=/dev/input/event\(event)
        E: ID_INPUT=1
        E: ID_INPUT_KEYBOARD=1
        E: SUBSYSTEM=input
        A: dev=13:\(64 + event)

        P: \(usb)/input/input\(event)
        E: SUBSYSTEM=input
        E: NAME="\(name)"
        A: name=\(name)
        A: id/vendor=\(vendor)
        A: id/product=\(product)
        A: capabilities/key=1000000000007 ff9f207ac14057ff febeffdfffefffff fffffffffffffffe

        """
    }
}
