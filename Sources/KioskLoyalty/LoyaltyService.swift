import KioskEngine
import KioskStore
