@main
struct EngineBenchmark {
    static func main() {}
}
