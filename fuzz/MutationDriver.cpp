// A mutation campaign for the fuzz targets, without libFuzzer: it links any target's
// LLVMFuzzerTestOneInput and feeds it every seed as it is, then seeded mutants of each (bit flips,
// random and boundary bytes, cuts, deleted and repeated chunks). Built with GCC's ASan + UBSan
// (scripts/sanitize.sh) it also reaches the LibTorch side that clang's libFuzzer build cannot
// compile (fuzz_checkpoint, fuzz_model_card). Deterministic: the same seeds and --seed give the same
// inputs. Each input is written to <out>/current before it runs, so a crash leaves its input behind.
//
//   mutate_checkpoint --mutants 40 --seed 1 --out DIR --max-rss-mb 2560 SEED_FILE_OR_DIR...
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

struct Options {
    int mutants = 40;  // per seed
    std::uint64_t seed = 1;
    fs::path out = "mutation-out";
    long maxRssMb = 2560;
    unsigned timeoutSeconds = 30;  // per input
    std::vector<fs::path> seeds;
};

[[noreturn]] void usage(const std::string& message) {
    std::cerr
        << "mutation driver: " << message
        << "\nusage: DRIVER [--mutants N] [--seed S] [--out DIR] [--max-rss-mb MB] [--timeout S] SEEDS...\n";
    std::exit(2);
}

Options parse(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const auto value = [&] {
            if (i + 1 >= argc)
                usage(std::string(arg) + " needs a value");
            return std::string(argv[++i]);
        };
        if (arg == "--mutants")
            options.mutants = std::stoi(value());
        else if (arg == "--seed")
            options.seed = std::stoull(value());
        else if (arg == "--out")
            options.out = value();
        else if (arg == "--max-rss-mb")
            options.maxRssMb = std::stol(value());
        else if (arg == "--timeout")
            options.timeoutSeconds = static_cast<unsigned>(std::stoul(value()));
        else if (arg.starts_with("--"))
            usage("unknown option " + std::string(arg));
        else
            options.seeds.emplace_back(arg);
    }
    if (options.seeds.empty())
        usage("no seed files");
    return options;
}

std::vector<fs::path> seedFiles(const std::vector<fs::path>& roots) {
    std::vector<fs::path> files;
    for (const auto& root : roots) {
        if (fs::is_directory(root)) {
            for (const auto& entry : fs::recursive_directory_iterator(root))
                if (entry.is_regular_file())
                    files.push_back(entry.path());
        } else if (fs::is_regular_file(root)) {
            files.push_back(root);
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

Bytes readAll(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// One random edit of the kinds that break readers: the header fields (sizes, counts, offsets) sit
// in the first bytes, so a third of the edits aim there.
void mutateOnce(Bytes& bytes, std::mt19937_64& random) {
    const auto pick = [&](std::size_t n) {
        return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
    };
    const auto position = [&] {
        return std::uniform_int_distribution<int>(0, 2)(random) == 0
                   ? pick(std::min<std::size_t>(bytes.size(), 512))
                   : pick(bytes.size());
    };
    static constexpr std::array<std::uint32_t, 10> boundaries{
        0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0x8000};
    switch (pick(7)) {
        case 0:  // flip a bit
            if (!bytes.empty())
                bytes[position()] ^= static_cast<std::uint8_t>(1u << pick(8));
            break;
        case 1:  // a random byte
            if (!bytes.empty())
                bytes[position()] = static_cast<std::uint8_t>(pick(256));
            break;
        case 2: {  // a boundary value, 1, 2 or 4 bytes, little or big endian
            if (bytes.empty())
                break;
            const std::uint32_t value = boundaries[pick(boundaries.size())];
            const std::size_t width = std::size_t{1} << pick(3);
            const bool big = pick(2) == 1;
            const std::size_t at = position();
            for (std::size_t k = 0; k < width && at + k < bytes.size(); ++k) {
                const std::size_t shift = 8 * (big ? width - 1 - k : k);
                bytes[at + k] = static_cast<std::uint8_t>(value >> shift);
            }
            break;
        }
        case 3:  // cut the end off
            bytes.resize(pick(bytes.size() + 1));
            break;
        case 4: {  // delete a chunk from the middle
            const std::size_t at = pick(bytes.size() + 1);
            const std::size_t length = std::min(bytes.size() - at, pick(1024) + 1);
            bytes.erase(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                        bytes.begin() + static_cast<std::ptrdiff_t>(at + length));
            break;
        }
        case 5: {  // repeat a chunk
            const std::size_t at = pick(bytes.size() + 1);
            const std::size_t length = std::min(bytes.size() - at, pick(256) + 1);
            const Bytes chunk(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                              bytes.begin() + static_cast<std::ptrdiff_t>(at + length));
            bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(at), chunk.begin(), chunk.end());
            break;
        }
        default: {  // overwrite a run with random bytes (a damaged sector)
            const std::size_t at = pick(bytes.size() + 1);
            const std::size_t length = std::min(bytes.size() - at, pick(64) + 1);
            for (std::size_t k = 0; k < length; ++k)
                bytes[at + k] = static_cast<std::uint8_t>(pick(256));
            break;
        }
    }
}

long peakRssMb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

void onTimeout(int) {
    static constexpr char message[] =
        "mutation driver: an input ran past the time limit (a hang); it is in <out>/current\n";
    (void)!write(STDERR_FILENO, message, sizeof message - 1);
    _exit(3);
}

void runOne(const Bytes& input, const fs::path& current, const Options& options) {
    {
        std::ofstream out(current, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(input.data()), static_cast<std::streamsize>(input.size()));
    }
    alarm(options.timeoutSeconds);
    LLVMFuzzerTestOneInput(input.data(), input.size());
    alarm(0);
    if (peakRssMb() > options.maxRssMb) {
        std::cerr << "mutation driver: peak memory " << peakRssMb() << " MB is over " << options.maxRssMb
                  << " MB; the input is in " << current << "\n";
        std::exit(4);
    }
}

}  // namespace

int main(int argc, char** argv) {
    const Options options = parse(argc, argv);
    fs::create_directories(options.out);
    const fs::path current = options.out / "current";
    std::signal(SIGALRM, onTimeout);
    std::mt19937_64 random(options.seed);
    const auto seeds = seedFiles(options.seeds);
    std::size_t inputs = 0;
    for (const auto& seed : seeds) {
        const Bytes original = readAll(seed);
        runOne(original, current, options);
        ++inputs;
        for (int m = 0; m < options.mutants; ++m) {
            Bytes mutant = original;
            const int edits = 1 + static_cast<int>(random() % 4);
            for (int e = 0; e < edits; ++e)
                mutateOnce(mutant, random);
            runOne(mutant, current, options);
            ++inputs;
        }
    }
    fs::remove(current);
    std::cout << "mutation driver: " << inputs << " inputs from " << seeds.size()
              << " seeds, no crash, no hang, peak " << peakRssMb() << " MB\n";
    return 0;
}
