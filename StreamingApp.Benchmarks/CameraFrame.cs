namespace StreamingApp.Benchmarks;

/// <summary>The frame the live-path benchmarks share.</summary>
public static class CameraFrame
{
    /// <summary>
    /// Like a browser camera frame (<c>canvas.toBlob("image/jpeg", 0.8)</c>: 640×480, 4:2:0, ~80 KB for this busy
    /// scene), made from a COCO photo at setup (not committed: the photos are not ours to redistribute).
    /// </summary>
    public static byte[] Jpeg() =>
        Ffmpeg.ConvertJpeg(TestPaths.CocoImage("000000001000.jpg"), "scale=640:480,format=yuvj420p", quality: 5);
}
