/*
 * A test-only IFD handler that lets a vpcd virtual reader be hot-plugged like a USB reader.
 *
 * pcscd loads USB drivers from bundles in /usr/lib/pcsc/drivers, matched by vendor and product
 * id when udev reports a device (here: a device faked by umockdev), and opens the reader with
 * IFDHCreateChannelByName("usb:VVVV/PPPP:libudev:N:/dev/bus/usb/..."). vpcd only understands
 * "HOST:PORT" names, so this handler forwards every call to a private copy of vpcd's handler
 * (KIOSK_HOTPLUG_VPCD, a copy so that its globals are not shared with the configured vpcd
 * reader) and rewrites the name to "/dev/null:PORT", PORT from KIOSK_HOTPLUG_VPCD_PORT.
 * Unplugging the fake device makes pcscd close the channel, which closes vpcd's socket.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <PCSC/ifdhandler.h>
#include <PCSC/debuglog.h>

static void *vpcd;

#define FORWARD(name, type) static type real_##name;
typedef RESPONSECODE (*create_by_name_t)(DWORD, LPSTR);
typedef RESPONSECODE (*create_t)(DWORD, DWORD);
typedef RESPONSECODE (*close_t)(DWORD);
typedef RESPONSECODE (*get_caps_t)(DWORD, DWORD, PDWORD, PUCHAR);
typedef RESPONSECODE (*set_caps_t)(DWORD, DWORD, DWORD, PUCHAR);
typedef RESPONSECODE (*set_proto_t)(DWORD, DWORD, UCHAR, UCHAR, UCHAR, UCHAR);
typedef RESPONSECODE (*power_t)(DWORD, DWORD, PUCHAR, PDWORD);
typedef RESPONSECODE (*transmit_t)(DWORD, SCARD_IO_HEADER, PUCHAR, DWORD, PUCHAR, PDWORD, PSCARD_IO_HEADER);
typedef RESPONSECODE (*control_t)(DWORD, DWORD, PUCHAR, DWORD, PUCHAR, DWORD, LPDWORD);
typedef RESPONSECODE (*presence_t)(DWORD);

FORWARD(IFDHCreateChannelByName, create_by_name_t)
FORWARD(IFDHCloseChannel, close_t)
FORWARD(IFDHGetCapabilities, get_caps_t)
FORWARD(IFDHSetCapabilities, set_caps_t)
FORWARD(IFDHSetProtocolParameters, set_proto_t)
FORWARD(IFDHPowerICC, power_t)
FORWARD(IFDHTransmitToICC, transmit_t)
FORWARD(IFDHControl, control_t)
FORWARD(IFDHICCPresence, presence_t)

#define BIND(name) \
    if (!(real_##name = (__typeof__(real_##name)) dlsym(vpcd, #name))) { \
        fprintf(stderr, "ifd-hotplug: %s missing in %s\n", #name, path); \
        return 0; \
    }

static int load(void)
{
    if (vpcd)
        return 1;
    const char *path = getenv("KIOSK_HOTPLUG_VPCD");
    if (!path) {
        fprintf(stderr, "ifd-hotplug: KIOSK_HOTPLUG_VPCD is not set\n");
        return 0;
    }
    vpcd = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!vpcd) {
        fprintf(stderr, "ifd-hotplug: %s\n", dlerror());
        return 0;
    }
    BIND(IFDHCreateChannelByName)
    BIND(IFDHCloseChannel)
    BIND(IFDHGetCapabilities)
    BIND(IFDHSetCapabilities)
    BIND(IFDHSetProtocolParameters)
    BIND(IFDHPowerICC)
    BIND(IFDHTransmitToICC)
    BIND(IFDHControl)
    BIND(IFDHICCPresence)
    return 1;
}

RESPONSECODE IFDHCreateChannelByName(DWORD Lun, LPSTR DeviceName)
{
    (void) DeviceName;
    const char *port = getenv("KIOSK_HOTPLUG_VPCD_PORT");
    char name[64];
    if (!load() || !port)
        return IFD_COMMUNICATION_ERROR;
    snprintf(name, sizeof name, "/dev/null:%s", port);
    return real_IFDHCreateChannelByName(Lun, name);
}

RESPONSECODE IFDHCreateChannel(DWORD Lun, DWORD Channel)
{
    (void) Channel;
    return IFDHCreateChannelByName(Lun, "");
}

RESPONSECODE IFDHCloseChannel(DWORD Lun)
{
    return load() ? real_IFDHCloseChannel(Lun) : IFD_COMMUNICATION_ERROR;
}

RESPONSECODE IFDHGetCapabilities(DWORD Lun, DWORD Tag, PDWORD Length, PUCHAR Value)
{
    return load() ? real_IFDHGetCapabilities(Lun, Tag, Length, Value) : IFD_COMMUNICATION_ERROR;
}

RESPONSECODE IFDHSetCapabilities(DWORD Lun, DWORD Tag, DWORD Length, PUCHAR Value)
{
    return load() ? real_IFDHSetCapabilities(Lun, Tag, Length, Value) : IFD_COMMUNICATION_ERROR;
}

RESPONSECODE IFDHSetProtocolParameters(DWORD Lun, DWORD Protocol, UCHAR Flags, UCHAR PTS1, UCHAR PTS2, UCHAR PTS3)
{
    return load() ? real_IFDHSetProtocolParameters(Lun, Protocol, Flags, PTS1, PTS2, PTS3) : IFD_COMMUNICATION_ERROR;
}

RESPONSECODE IFDHPowerICC(DWORD Lun, DWORD Action, PUCHAR Atr, PDWORD AtrLength)
{
    return load() ? real_IFDHPowerICC(Lun, Action, Atr, AtrLength) : IFD_COMMUNICATION_ERROR;
}

RESPONSECODE IFDHTransmitToICC(DWORD Lun, SCARD_IO_HEADER SendPci, PUCHAR TxBuffer, DWORD TxLength,
                               PUCHAR RxBuffer, PDWORD RxLength, PSCARD_IO_HEADER RecvPci)
{
    return load() ? real_IFDHTransmitToICC(Lun, SendPci, TxBuffer, TxLength, RxBuffer, RxLength, RecvPci)
                  : IFD_COMMUNICATION_ERROR;
}

RESPONSECODE IFDHControl(DWORD Lun, DWORD dwControlCode, PUCHAR TxBuffer, DWORD TxLength, PUCHAR RxBuffer,
                         DWORD RxLength, LPDWORD pdwBytesReturned)
{
    return load() ? real_IFDHControl(Lun, dwControlCode, TxBuffer, TxLength, RxBuffer, RxLength, pdwBytesReturned)
                  : IFD_COMMUNICATION_ERROR;
}

RESPONSECODE IFDHICCPresence(DWORD Lun)
{
    return load() ? real_IFDHICCPresence(Lun) : IFD_COMMUNICATION_ERROR;
}
