import Synchronization

/// Turns a frame into pixels. Pure: the same frame always gives the same pixels; the caches
/// (background, the wheel's static layer and face, laid-out text) only save work.
public final class Renderer: Sendable {
    public let fonts: RenderFonts
    public let brand: Branding
    public let strings: StringCatalogue
    public let images: [String: RGBAImage]
    let wheelFaces = Mutex<[WheelFaceKey: Canvas]>([:])
    let backgrounds = Mutex<[BackgroundKey: Canvas]>([:])
    let wheelLayers = Mutex<[WheelFaceKey: Canvas]>([:])
    let landedLayers = Mutex<[WheelFaceKey: Canvas]>([:])
    let layouts = LayoutCache()

    public init(fonts: RenderFonts, brand: Branding = .standard, strings: StringCatalogue = .standard,
                images: [String: RGBAImage] = [:]) {
        self.fonts = fonts
        self.brand = brand
        self.strings = strings
        self.images = images
    }

    public func render(_ frame: Frame) -> Canvas {
        var context = self.context(frame, drawsText: true)
        drawScreen(frame, &context)
        return context.canvas
    }

    /// Renders into `canvas`, reusing its memory (no frame-sized allocation): a canvas that last
    /// showed a frame of the same screen and size from this renderer gets back only what that
    /// frame drew over its cached layer, and its `dirty` is then what differs from that frame
    /// (what it drew and what this one drew); any other canvas is overwritten whole (all dirty).
    /// The pixels are those `render(frame)` gives.
    public func render(_ frame: Frame, into canvas: inout Canvas) {
        var context = self.context(frame, drawsText: true)
        if canvas.width == frame.width, canvas.height == frame.height {
            canvas.reset(to: context.canvas)
            context.reused = true
            swap(&context.canvas, &canvas)
        }
        drawScreen(frame, &context)
        swap(&context.canvas, &canvas)
    }

    /// For a terminal: the picture without its text, and the text as items to place in character cells.
    public func renderForTerminal(_ frame: Frame) -> (canvas: Canvas, text: [TextItem]) {
        var context = self.context(frame, drawsText: false)
        drawScreen(frame, &context)
        return (context.canvas, context.textItems)
    }

    /// A context whose canvas is the frame's cached layer: the background, or for the wheel
    /// (with text drawn) the background with everything of the screen that does not move.
    func context(_ frame: Frame, drawsText: Bool) -> DrawContext {
        // Every screen starts from the same background, shared with the cache (copied on the first
        // write, once), not redrawn.
        var context = DrawContext(canvas: background(width: frame.width, height: frame.height, rtl: frame.locale.isRTL),
                                  locale: frame.locale, strings: strings, brand: brand, fonts: fonts, images: images,
                                  time: frame.time, layouts: layouts)
        context.drawsText = drawsText
        context.backgroundDrawn = true
        if drawsText, case let .wheel(data) = frame.screen, WheelScreen.isDrawable(data) {
            context.canvas = wheelLayer(data, context)
            context.wheelLayerDrawn = true
            if data.animation.isLanded(at: frame.time) {
                context.canvas = landedLayer(data, context)
                context.landedLayerDrawn = true
            }
        }
        return context
    }

    func drawScreen(_ frame: Frame, _ context: inout DrawContext) {
        switch frame.screen {
        case let .idle(data): IdleScreen.draw(data, &context)
        case let .welcome(data): WelcomeScreen.draw(data, &context)
        case let .wheel(data): WheelScreen.draw(data, &context, renderer: self)
        case let .prize(data): PrizeScreen.draw(data, &context)
        case let .receipt(data): ReceiptScreen.draw(data, &context)
        case let .voucher(data): VoucherScreen.draw(data, &context)
        case let .catalogue(data): CatalogueScreen.draw(data, &context)
        case let .pin(data): PinScreen.draw(data, &context)
        case let .enrollment(data): EnrollmentScreen.draw(data, &context)
        case let .refusal(data): RefusalScreen.draw(data, &context)
        case let .offline(data): OfflineScreen.draw(data, &context)
        case let .diagnostics(data): DiagnosticsScreen.draw(data, &context)
        case let .staff(data): StaffScreen.draw(data, &context)
        }
    }

    struct BackgroundKey: Hashable { let width: Int, height: Int, rtl: Bool }

    /// The screen background, drawn once per size and direction.
    func background(width: Int, height: Int, rtl: Bool) -> Canvas {
        let key = BackgroundKey(width: width, height: height, rtl: rtl)
        if let hit = backgrounds.withLock({ $0[key] }) { return hit }
        var fresh = DrawContext(canvas: Canvas(width: width, height: height), locale: rtl ? .faIR : .en, strings: strings,
                                brand: brand, fonts: fonts, images: images, time: 0, layouts: layouts)
        fresh.drawBackground()
        fresh.canvas.base = CanvasBase(id: Self.newLayerID(), drawn: PixelRect(x: 0, y: 0, width: 0, height: 0))
        backgrounds.withLock { $0[key] = fresh.canvas }
        return fresh.canvas
    }

    /// The wheel screen's static layer (background, header, the wheel's shadow and rim), drawn
    /// once per wheel, size and locale.
    func wheelLayer(_ data: WheelData, _ context: DrawContext) -> Canvas {
        let key = WheelFaceKey(data: data, diameter: context.canvas.width * 10_000 + context.canvas.height, locale: context.locale)
        if let hit = wheelLayers.withLock({ $0[key] }) { return hit }
        var fresh = context
        WheelScreen.drawStatic(data, &fresh)
        fresh.canvas.base = CanvasBase(id: Self.newLayerID(), drawn: PixelRect(x: 0, y: 0, width: 0, height: 0))
        wheelLayers.withLock { layers in
            if layers.count > 16 { layers.removeAll() }
            layers[key] = fresh.canvas
        }
        return fresh.canvas
    }

    /// The wheel's static layer with the face at its final angle: after landing, the face does
    /// not move, so landed frames start from it and do not turn the face again.
    func landedLayer(_ data: WheelData, _ context: DrawContext) -> Canvas {
        let key = WheelFaceKey(data: data, diameter: context.canvas.width * 10_000 + context.canvas.height, locale: context.locale)
        if let hit = landedLayers.withLock({ $0[key] }) { return hit }
        var fresh = context
        WheelScreen.drawFace(data, &fresh, renderer: self, angle: data.animation.finalAngle)
        fresh.canvas.base = CanvasBase(id: Self.newLayerID(), drawn: PixelRect(x: 0, y: 0, width: 0, height: 0))
        landedLayers.withLock { layers in
            if layers.count > 16 { layers.removeAll() }
            layers[key] = fresh.canvas
        }
        return fresh.canvas
    }

    private static let layerIDs = Atomic<Int>(0)

    /// An id no other layer in this process has.
    static func newLayerID() -> Int { layerIDs.add(1, ordering: .relaxed).newValue }
}
