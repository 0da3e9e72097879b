namespace Atelier.Imaging;

/// <summary>The picture area [X0, X1)×[Y0, Y1) of a letterboxed image; the rest is padding.</summary>
public readonly record struct ImageRegion(int X0, int Y0, int X1, int Y1)
{
    public bool Contains(int x, int y) => x >= X0 && x < X1 && y >= Y0 && y < Y1;
}
