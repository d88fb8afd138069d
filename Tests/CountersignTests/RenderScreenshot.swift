import Foundation
import Testing

/// A page rendered by headless Chromium, decoded: how many distinct colours its screenshot holds,
/// how much of it is not white, and which of some probe colours appear.
struct RenderScreenshot {
    let width: Int
    let height: Int
    let distinctColours: Int
    /// Share of pixels that are not pure white, 0...1.
    let inkedFraction: Double
    /// The probe colours (`#rrggbb`) found exactly in the picture.
    let coloursFound: Set<String>

    /// What to install when Chromium is missing.
    static let missing = """
        headless Chromium is needed to check the rendered reports and is not installed: run \
        `apt-get install -y chromium` (lead: add `chromium` to DEBIAN_PACKAGES in the Makefile)
        """

    /// The Chromium executable on this machine, if any.
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Screenshots `file` (an HTML or SVG page) at 1200×1600 into `png`, then decodes it.
    static func take(_ file: URL, to png: URL, probing probes: [String] = []) throws -> RenderScreenshot {
        let chromium = try #require(chromium, Comment(rawValue: missing))
        let profile = png.deletingPathExtension().appendingPathExtension("profile")
        let result = try run(
            chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                "--user-data-dir=\(profile.path)", "--screenshot=\(png.path)", "--window-size=1200,1600",
                file.absoluteString,
            ],
            timeout: 120
        )
        try #require(
            FileManager.default.fileExists(atPath: png.path),
            "chromium wrote no screenshot (status \(result.status)): \(result.output.suffix(2_000))"
        )
        return try decode(png, probes: probes)
    }

    /// Decodes an 8-bit RGB or RGBA PNG (what Chromium writes) with python3's zlib: inflate the IDAT
    /// stream, undo each scanline's filter, count colours.
    static func decode(_ png: URL, probes: [String]) throws -> RenderScreenshot {
        let result = try run("/usr/bin/python3", ["-c", decoder, png.path] + probes, timeout: 120)
        try #require(result.status == 0, "decoding \(png.lastPathComponent) failed: \(result.output)")
        let fields = result.output.components(separatedBy: "\n")
        try #require(fields.count == 6, "unexpected decoder output: \(result.output)")
        return RenderScreenshot(
            width: Int(fields[0])!,
            height: Int(fields[1])!,
            distinctColours: Int(fields[2])!,
            inkedFraction: Double(fields[3])!,
            coloursFound: Set(fields[4].split(separator: " ").map(String.init))
        )
    }

    private static let decoder = """
        import sys, zlib, struct
        data = open(sys.argv[1], 'rb').read()
        assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n', 'not a PNG'
        pos, idat = 8, b''
        while pos < len(data):
            length, kind = struct.unpack('>I4s', data[pos:pos + 8])
            body = data[pos + 8:pos + 8 + length]
            if kind == b'IHDR':
                width, height, depth, colour, _, _, interlace = struct.unpack('>IIBBBBB', body)
                assert depth == 8 and colour in (2, 6) and interlace == 0, 'unsupported PNG layout'
                channels = 3 if colour == 2 else 4
            elif kind == b'IDAT':
                idat += body
            pos += 12 + length
        raw = zlib.decompress(idat)
        stride = width * channels
        previous = bytearray(stride)
        colours, inked, offset = set(), 0, 0
        for _ in range(height):
            kind, line = raw[offset], bytearray(raw[offset + 1:offset + 1 + stride])
            offset += 1 + stride
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                up = previous[i]
                corner = previous[i - channels] if i >= channels else 0
                if kind == 1: line[i] = (line[i] + left) & 255
                elif kind == 2: line[i] = (line[i] + up) & 255
                elif kind == 3: line[i] = (line[i] + (left + up) // 2) & 255
                elif kind == 4:
                    p = left + up - corner
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                    line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
            for i in range(0, stride, channels):
                rgb = bytes(line[i:i + 3])
                colours.add(rgb)
                if rgb != b'\\xff\\xff\\xff': inked += 1
            previous = line
        found = [p for p in sys.argv[2:] if bytes.fromhex(p[1:]) in colours]
        print(width); print(height); print(len(colours)); print(inked / (width * height)); print(' '.join(found))
        """

    /// Runs a program with a deadline; output and errors together.
    static func run(
        _ path: String,
        _ arguments: [String],
        timeout: TimeInterval
    ) throws -> (
        status: Int32, output: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("render-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, String(decoding: try Data(contentsOf: log), as: UTF8.self))
    }
}
