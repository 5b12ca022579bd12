using System.Buffers.Binary;
using System.Text.RegularExpressions;
using VisionPlugin.Host.SampleVideo;

namespace VisionPlugin.Host.Tests.SampleVideo;

/// <summary>
/// The default recipe's photographs, as Debian's lomiri-wallpapers-16.04 installs them (scripts/setup.sh). They are
/// JPEGs: decoding them needs the host's OpenCV decoder, so these tests check what can be checked without one: the
/// files exist, are baseline/progressive JPEGs large enough for the camera path, and carry the licences the recipe
/// records, as the package's copyright file states them.
/// </summary>
public sealed class DefaultSourcesTests
{
    private const string CopyrightFile = "/usr/share/doc/" + SampleVideoRecipe.DefaultPackage + "/copyright";

    [Fact]
    public void DefaultRecipe_HasSixDistinctSegmentsFromThePackage()
    {
        SampleVideoRecipe recipe = SampleVideoRecipe.Default;
        recipe.Validate();
        Assert.Equal(["mountain", "dogs", "paintbrushes", "fig", "stream", "dandelions"], recipe.Segments.Select(s => s.Label));
        Assert.All(recipe.Segments, s => Assert.Equal(SampleVideoRecipe.DefaultPackage, s.Package));
        Assert.Equal(6 * 105, recipe.Segments.Count * recipe.FramesPerSegment);
    }

    [Fact]
    public void DefaultSources_AreInstalledJpegsLargerThanTheZoomedWindow()
    {
        SampleVideoRecipe recipe = SampleVideoRecipe.Default;
        foreach (SampleVideoSegmentSource source in recipe.Segments)
        {
            SampleVideoRecipe.RequireSource(source); // the message names the package and scripts/setup.sh
            (int width, int height) = JpegSize(File.ReadAllBytes(source.SourcePath), source.SourcePath);
            double aspect = (double)recipe.Width / recipe.Height;
            double windowWidth = Math.Min(width, height * aspect) / recipe.MaxZoom;
            Assert.True(windowWidth >= recipe.Width, $"{source.SourcePath}: {width}x{height} gives a {windowWidth:0}-pixel window at zoom {recipe.MaxZoom}, less than {recipe.Width}");
        }
    }

    [Fact]
    public void DefaultSources_LicencesMatchThePackagesCopyrightFile()
    {
        Assert.True(File.Exists(CopyrightFile), $"{CopyrightFile} is missing: run scripts/setup.sh");
        string copyright = File.ReadAllText(CopyrightFile);
        foreach (SampleVideoSegmentSource source in SampleVideoRecipe.Default.Segments)
        {
            // A DEP-5 paragraph: "Files: 16.04/<name>", "Copyright: <credit>", "License: <licence>".
            string name = Regex.Escape(Path.GetFileName(source.SourcePath));
            Match paragraph = Regex.Match(copyright, $@"^Files: \S*{name}\s*\nCopyright: (?<credit>[^\n]*)\nLicense: (?<licence>\S+)", RegexOptions.Multiline);
            Assert.True(paragraph.Success, $"no copyright paragraph for {source.SourcePath} in {CopyrightFile}");
            Assert.Equal(paragraph.Groups["licence"].Value, source.Licence);
            Assert.Equal(paragraph.Groups["credit"].Value.Trim(), source.Credit);
        }
    }

    [Fact]
    public void DefaultRecipe_HashCoversTheInstalledSources_AndIsStable()
    {
        string hash = SampleVideoRecipe.Default.ComputeHash();
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(hash, SampleVideoRecipe.Default.ComputeHash());
        Assert.NotEqual(hash, (SampleVideoRecipe.Default with { Seed = SampleVideoRecipe.Default.Seed + 1 }).ComputeHash());
    }

    // Width and height from the first start-of-frame marker (SOF0..SOF15 except DHT C4, JPG C8, DAC CC):
    // FF Cn, length (u16 BE), precision (u8), height (u16 BE), width (u16 BE).
    private static (int Width, int Height) JpegSize(byte[] file, string path)
    {
        Assert.True(file.Length > 4 && file[0] == 0xFF && file[1] == 0xD8, $"{path} does not start with a JPEG SOI marker");
        int offset = 2;
        while (offset + 9 < file.Length)
        {
            Assert.True(file[offset] == 0xFF, $"{path}: no marker at byte {offset}");
            byte marker = file[offset + 1];
            int length = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(offset + 2));
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
                return (BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(offset + 7)), BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(offset + 5)));
            offset += 2 + length;
        }
        Assert.Fail($"{path} has no JPEG start-of-frame marker");
        return default;
    }
}
