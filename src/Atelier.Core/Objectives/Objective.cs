using System.Text.Json.Serialization;
using Atelier.Platform;

namespace Atelier.Objectives;

/// <summary>The GAN game (--objective).</summary>
[JsonConverter(typeof(StrictEnumConverter<Objective>))]
public enum Objective
{
    /// <summary>Goodfellow 2014's log(1 − D(G(z))) game.</summary>
    [JsonStringEnumMemberName("minimax")] Minimax,

    /// <summary>Goodfellow 2014's −log D(G(z)) generator loss (strong gradients early on).</summary>
    [JsonStringEnumMemberName("non-saturating")] NonSaturating,

    /// <summary>Arjovsky 2017: a critic kept Lipschitz by weight clipping.</summary>
    [JsonStringEnumMemberName("wgan")] Wgan,

    /// <summary>Gulrajani 2017: the Wasserstein critic with a gradient penalty.</summary>
    [JsonStringEnumMemberName("wgan-gp")] WganGp,

    /// <summary>Lim 2017 / Miyato 2018 hinge loss.</summary>
    [JsonStringEnumMemberName("hinge")] Hinge,

    /// <summary>Mao 2017 least-squares GAN.</summary>
    [JsonStringEnumMemberName("least-squares")] LeastSquares,
}
