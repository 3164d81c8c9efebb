using System.Runtime.InteropServices;

namespace StreamingApp.Core.Imaging;

/// <summary>
/// The few TurboJPEG calls the decoder needs, from Debian's libturbojpeg0 (libjpeg-turbo 2.1.5). That version has
/// only the TurboJPEG 2 API (no tj3*), so this binds tjInitDecompress / tjDecompressHeader3 / tjDecompress2.
/// </summary>
internal static unsafe partial class TurboJpegNative
{
    private const string Library = "libturbojpeg.so.0";

    public const int PixelFormatBgr = 1; // TJPF_BGR
    public const int FlagFastUpsample = 256; // TJFLAG_FASTUPSAMPLE
    public const int FlagFastDct = 2048; // TJFLAG_FASTDCT
    public const int FlagStopOnWarning = 8192; // TJFLAG_STOPONWARNING
    public const int FlagLimitScans = 32768; // TJFLAG_LIMITSCANS: a progressive JPEG with more than 500 scans is an error
    public const int ErrorWarning = 0; // TJERR_WARNING

    [LibraryImport(Library, EntryPoint = "tjInitDecompress")]
    public static partial IntPtr InitDecompress();

    [LibraryImport(Library, EntryPoint = "tjDestroy")]
    public static partial int Destroy(IntPtr handle);

    // unsigned long jpegSize: 64-bit on Linux x64, hence nuint.
    [LibraryImport(Library, EntryPoint = "tjDecompressHeader3")]
    public static partial int DecompressHeader3(
        IntPtr handle, byte* jpegBuf, nuint jpegSize, out int width, out int height, out int subsamp, out int colorspace);

    [LibraryImport(Library, EntryPoint = "tjDecompress2")]
    public static partial int Decompress2(
        IntPtr handle, byte* jpegBuf, nuint jpegSize, byte* dstBuf, int width, int pitch, int height, int pixelFormat, int flags);

    [LibraryImport(Library, EntryPoint = "tjGetErrorCode")]
    public static partial int GetErrorCode(IntPtr handle);

    [LibraryImport(Library, EntryPoint = "tjGetErrorStr2")]
    public static partial IntPtr GetErrorStr2(IntPtr handle);

    public static string ErrorText(IntPtr handle) => Marshal.PtrToStringUTF8(GetErrorStr2(handle)) ?? "unknown TurboJPEG error";
}
