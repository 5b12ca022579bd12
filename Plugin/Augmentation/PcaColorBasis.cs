using VisionPlugin.Engine;

namespace VisionPlugin.Augmentation;

/// <summary>
/// The principal components of RGB colour that <see cref="PcaColorTransform"/> shifts along: the eigenvectors
/// p1, p2, p3 (unit length) and eigenvalues l1 &gt;= l2 &gt;= l3 &gt;= 0 of the 3 x 3 covariance of pixel
/// values over a data set, <c>Cov = (1/M) sum (x - mean)(x - mean)^T</c> over all M pixels x = (r, g, b).
/// Compute one from images (<see cref="FromImages(Tensor)"/>), from a covariance, or use <see cref="ImageNet"/>.
/// </summary>
public sealed class PcaColorBasis
{
    private readonly double[] _values;
    private readonly (double R, double G, double B)[] _vectors;

    /// <summary>A basis from eigenvalues and the matching eigenvectors (unit length, mutually orthogonal).</summary>
    /// <param name="eigenvalues">Three values, each finite and &gt;= 0.</param>
    /// <param name="eigenvectors">Three (r, g, b) vectors, eigenvector i belonging to eigenvalue i.</param>
    /// <exception cref="ArgumentException">Not three of each.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An eigenvalue is negative or not finite.</exception>
    public PcaColorBasis(IReadOnlyList<double> eigenvalues, IReadOnlyList<(double R, double G, double B)> eigenvectors)
    {
        ArgumentNullException.ThrowIfNull(eigenvalues);
        ArgumentNullException.ThrowIfNull(eigenvectors);
        if (eigenvalues.Count != 3 || eigenvectors.Count != 3)
            throw new ArgumentException($"An RGB colour basis has 3 eigenvalues and 3 eigenvectors; got {eigenvalues.Count} and {eigenvectors.Count}.", nameof(eigenvalues));
        foreach (double value in eigenvalues) OptionChecks.NonNegative(value, nameof(eigenvalues));
        _values = [.. eigenvalues];
        _vectors = [.. eigenvectors];
    }

    /// <summary>Eigenvalues of the colour covariance (variance along each eigenvector).</summary>
    public IReadOnlyList<double> Eigenvalues => _values;

    /// <summary>Unit eigenvectors in RGB space, one per eigenvalue.</summary>
    public IReadOnlyList<(double R, double G, double B)> Eigenvectors => _vectors;

    /// <summary>
    /// The ImageNet statistics widely used with AlexNet-style lighting noise (fb.resnet.torch, for RGB in [0, 1]):
    /// eigenvalues 0.2175, 0.0188, 0.0045.
    /// </summary>
    public static PcaColorBasis ImageNet { get; } = new(
        [0.2175, 0.0188, 0.0045],
        [(-0.5675, -0.5808, -0.5836), (0.7192, -0.0045, -0.6948), (0.4009, -0.8140, 0.4203)]);

    /// <summary>The offset sum_i a_i l_i p_i for coefficients (a1, a2, a3).</summary>
    public (double R, double G, double B) Offset(double a1, double a2, double a3)
    {
        double[] a = [a1 * _values[0], a2 * _values[1], a3 * _values[2]];
        double r = 0, g = 0, b = 0;
        for (int i = 0; i < 3; i++)
        {
            r += a[i] * _vectors[i].R;
            g += a[i] * _vectors[i].G;
            b += a[i] * _vectors[i].B;
        }
        return (r, g, b);
    }

    /// <summary>The basis of a symmetric 3 x 3 covariance (Jacobi rotations; eigenvalues sorted descending).</summary>
    /// <exception cref="ArgumentException">The matrix is not 3 x 3, not symmetric or not finite.</exception>
    public static PcaColorBasis FromCovariance(double[,] covariance)
    {
        ArgumentNullException.ThrowIfNull(covariance);
        if (covariance.GetLength(0) != 3 || covariance.GetLength(1) != 3)
            throw new ArgumentException($"Colour covariance must be 3x3; got {covariance.GetLength(0)}x{covariance.GetLength(1)}.", nameof(covariance));
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                if (!double.IsFinite(covariance[i, j]) || Math.Abs(covariance[i, j] - covariance[j, i]) > 1e-9 * (1 + Math.Abs(covariance[i, j])))
                    throw new ArgumentException($"Colour covariance must be finite and symmetric; entry ({i},{j}) = {covariance[i, j]}, ({j},{i}) = {covariance[j, i]}.", nameof(covariance));
        var (values, vectors) = SymmetricEigen(covariance);
        int[] order = [.. Enumerable.Range(0, 3).OrderByDescending(i => values[i])];
        return new PcaColorBasis(
            [.. order.Select(i => Math.Max(0, values[i]))],
            [.. order.Select(i => (vectors[0, i], vectors[1, i], vectors[2, i]))]);
    }

    /// <summary>The basis of all pixels of an RGB batch given as NCHW floats (e.g. a data set in [0, 1]).</summary>
    /// <param name="nchw">The values, [N,3,H,W] row-major.</param>
    /// <param name="shape">Their shape; 3 channels.</param>
    /// <exception cref="ArgumentException">The shape is not [N,3,H,W] or does not match the values.</exception>
    public static PcaColorBasis FromImages(ReadOnlySpan<float> nchw, TensorShape shape)
    {
        if (shape.Rank != 4 || shape.C != 3 || shape.ElementCount != nchw.Length || nchw.Length == 0)
            throw new ArgumentException($"Colour statistics need [N,3,H,W] images matching the values; got {shape} with {nchw.Length} values.", nameof(shape));
        int plane = shape.H * shape.W;
        Span<double> sum = stackalloc double[3];
        Span<double> products = stackalloc double[9];
        for (int n = 0; n < shape.N; n++)
        {
            int basis = n * 3 * plane;
            for (int p = 0; p < plane; p++)
            {
                double r = nchw[basis + p], g = nchw[basis + plane + p], b = nchw[basis + 2 * plane + p];
                sum[0] += r; sum[1] += g; sum[2] += b;
                products[0] += r * r; products[1] += r * g; products[2] += r * b;
                products[4] += g * g; products[5] += g * b; products[8] += b * b;
            }
        }
        double count = (double)shape.N * plane;
        var covariance = new double[3, 3];
        // Cov_ij = E[x_i x_j] - E[x_i] E[x_j]
        for (int i = 0; i < 3; i++)
            for (int j = i; j < 3; j++)
                covariance[i, j] = covariance[j, i] = products[i * 3 + j] / count - sum[i] / count * (sum[j] / count);
        return FromCovariance(covariance);
    }

    /// <summary>The basis of a GPU batch [N,3,H,W] (reads it back once).</summary>
    public static PcaColorBasis FromImages(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        return FromImages(images.ToArray(), images.Shape);
    }

    /// <summary>
    /// Cyclic Jacobi: repeatedly zero the largest off-diagonal entry a_pq with the rotation of angle t where
    /// tan(2t) = 2 a_pq / (a_qq - a_pp); A -> J^T A J, V -> V J. Converges to A = V diag(l) V^T.
    /// </summary>
    private static (double[] Values, double[,] Vectors) SymmetricEigen(double[,] matrix)
    {
        var a = (double[,])matrix.Clone();
        var v = new double[3, 3] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
        for (int sweep = 0; sweep < 64; sweep++)
        {
            int p = 0, q = 1;
            if (Math.Abs(a[0, 2]) > Math.Abs(a[p, q])) (p, q) = (0, 2);
            if (Math.Abs(a[1, 2]) > Math.Abs(a[p, q])) (p, q) = (1, 2);
            double scale = Math.Abs(a[0, 0]) + Math.Abs(a[1, 1]) + Math.Abs(a[2, 2]);
            if (Math.Abs(a[p, q]) <= 1e-15 * Math.Max(scale, 1e-300)) break;
            double theta = 0.5 * Math.Atan2(2 * a[p, q], a[q, q] - a[p, p]);
            double c = Math.Cos(theta), s = Math.Sin(theta);
            for (int k = 0; k < 3; k++)
            {
                // columns p, q of A J
                double akp = a[k, p], akq = a[k, q];
                a[k, p] = c * akp - s * akq;
                a[k, q] = s * akp + c * akq;
            }
            for (int k = 0; k < 3; k++)
            {
                // rows p, q of J^T (A J)
                double apk = a[p, k], aqk = a[q, k];
                a[p, k] = c * apk - s * aqk;
                a[q, k] = s * apk + c * aqk;
            }
            for (int k = 0; k < 3; k++)
            {
                double vkp = v[k, p], vkq = v[k, q];
                v[k, p] = c * vkp - s * vkq;
                v[k, q] = s * vkp + c * vkq;
            }
        }
        return ([a[0, 0], a[1, 1], a[2, 2]], v);
    }
}
