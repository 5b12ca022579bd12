namespace VisionPlugin.Engine.Augmentation;

/// <summary>
/// A 2-D affine map in double precision, (x, y) -> (A x + B y + Tx, C x + D y + Ty), on pixel-centre
/// coordinates: pixel (i, j) covers [i, i+1) x [j, j+1) and has its centre at (i + 0.5, j + 0.5), so an
/// image of width W spans [0, W] and its centre is W / 2. Warps take the inverse map (output coordinates to
/// source coordinates). Angles are in degrees; with y pointing down, a positive rotation turns the picture
/// counter-clockwise as seen on screen (torchvision's convention).
/// </summary>
public readonly record struct AffineMatrix(double A, double B, double Tx, double C, double D, double Ty)
{
    /// <summary>(x, y) -> (x, y).</summary>
    public static AffineMatrix Identity => new(1, 0, 0, 0, 1, 0);

    /// <summary>(x, y) -> (x + tx, y + ty).</summary>
    public static AffineMatrix Translation(double tx, double ty) => new(1, 0, tx, 0, 1, ty);

    /// <summary>(x, y) -> (sx x, sy y).</summary>
    public static AffineMatrix Scaling(double sx, double sy) => new(sx, 0, 0, 0, sy, 0);

    /// <summary>
    /// Counter-clockwise (on screen, y down) rotation about the origin: (x, y) -> (cos x + sin y, -sin x + cos y).
    /// Multiples of 90 degrees use exact 0 and ±1, so quarter turns move pixel centres onto pixel centres exactly.
    /// </summary>
    public static AffineMatrix Rotation(double degrees)
    {
        var (sin, cos) = SinCosDegrees(degrees);
        return new(cos, sin, 0, -sin, cos, 0);
    }

    /// <summary>Shear: (x, y) -> (x + tan(ax) y, tan(ay) x + y) for angles ax, ay in degrees (|angle| &lt; 90).</summary>
    public static AffineMatrix Shear(double xDegrees, double yDegrees) =>
        new(1, Math.Tan(xDegrees * Math.PI / 180), 0, Math.Tan(yDegrees * Math.PI / 180), 1, 0);

    /// <summary>Mirror x about the vertical line x = width / 2: x -> width - x (pixel i lands on pixel width-1-i).</summary>
    public static AffineMatrix FlipX(double width) => new(-1, 0, width, 0, 1, 0);

    /// <summary>Mirror y about the horizontal line y = height / 2: y -> height - y.</summary>
    public static AffineMatrix FlipY(double height) => new(1, 0, 0, 0, -1, height);

    /// <summary>
    /// The map that sends output pixel-centre coordinates of a <paramref name="outWidth"/> x <paramref name="outHeight"/>
    /// image onto the source rectangle (x0, y0, width, height): a crop (same size) or a crop-and-resize.
    /// </summary>
    public static AffineMatrix CropToRectangle(double x0, double y0, double width, double height, int outWidth, int outHeight) =>
        new(width / outWidth, 0, x0, 0, height / outHeight, y0);

    /// <summary>Composition: <c>(m * n)(p) = m(n(p))</c>, n applied first.</summary>
    public static AffineMatrix operator *(AffineMatrix m, AffineMatrix n) => new(
        m.A * n.A + m.B * n.C, m.A * n.B + m.B * n.D, m.A * n.Tx + m.B * n.Ty + m.Tx,
        m.C * n.A + m.D * n.C, m.C * n.B + m.D * n.D, m.C * n.Tx + m.D * n.Ty + m.Ty);

    /// <summary>This map conjugated to act about (cx, cy) instead of the origin: T(c) * this * T(-c).</summary>
    public AffineMatrix About(double cx, double cy) => Translation(cx, cy) * this * Translation(-cx, -cy);

    /// <summary>A B; C D's determinant.</summary>
    public double Determinant => A * D - B * C;

    /// <summary>The inverse map: p = M^-1 q with M^-1 = [D -B; -C A] / det and t' = -M^-1 t.</summary>
    /// <exception cref="InvalidOperationException">The map is singular (|det| below 1e-12).</exception>
    public AffineMatrix Inverse()
    {
        double det = Determinant;
        if (Math.Abs(det) < 1e-12) throw new InvalidOperationException($"Affine map {this} is singular (det {det:G3}).");
        double a = D / det, b = -B / det, c = -C / det, d = A / det;
        return new(a, b, -(a * Tx + b * Ty), c, d, -(c * Tx + d * Ty));
    }

    /// <summary>The image of point (x, y).</summary>
    public (double X, double Y) Apply(double x, double y) => (A * x + B * y + Tx, C * x + D * y + Ty);

    /// <summary>
    /// The largest length an output pixel step has in the source: max(|(A, C)|, |(B, D)|), the source pixels
    /// per output pixel along x or y. Above 1 the warp shrinks the image and should average several taps.
    /// </summary>
    public double MaxStretch => Math.Max(Math.Sqrt(A * A + C * C), Math.Sqrt(B * B + D * D));

    /// <summary>(sin, cos) of an angle in degrees, exact (0, ±1) at multiples of 90 degrees.</summary>
    public static (double Sin, double Cos) SinCosDegrees(double degrees)
    {
        double turns = degrees / 90;
        if (turns == Math.Round(turns))
        {
            int quarter = (int)(((long)turns % 4 + 4) % 4);
            return quarter switch { 0 => (0, 1), 1 => (1, 0), 2 => (0, -1), _ => (-1, 0) };
        }
        double radians = degrees * Math.PI / 180;
        return (Math.Sin(radians), Math.Cos(radians));
    }
}
