using System.Text;
using System.Xml;

namespace Atelier.Imaging;

/// <summary>How a picture came to be, in the IPTC <c>DigitalSourceType</c> vocabulary that search engines, photo
/// managers and exiftool read to recognise machine-made images.</summary>
public enum DigitalSource
{
    /// <summary>Made by a trained model from its latents alone (<c>trainedAlgorithmicMedia</c>).</summary>
    TrainedAlgorithmicMedia,

    /// <summary>A user's own picture went in (style transfer, a projection beside its target, a copy sheet beside
    /// training images: <c>compositeWithTrainedAlgorithmicMedia</c>).</summary>
    CompositeWithTrainedAlgorithmicMedia,
}

/// <summary>
/// The XMP packet Atelier writes into every picture it makes: <c>Iptc4xmpExt:DigitalSourceType</c>,
/// <c>xmp:CreatorTool</c>, <c>dc:description</c> and, in Atelier's own namespace, the picture's run, checkpoint, weights
/// and recipe (the <c>Atelier.*</c> PNG text entries, which stay beside it so that <c>reproduce</c> reads them). The packet
/// has no date or other varying field, so the same recipe still gives the same bytes.
/// </summary>
public static class XmpPacket
{
    /// <summary>The keyword of the PNG iTXt chunk that holds XMP (XMP Specification Part 3, 1.1.5).</summary>
    public const string PngKeyword = "XML:com.adobe.xmp";

    /// <summary>The namespace of Atelier's own XMP properties.</summary>
    public const string AtelierNamespace = "urn:atelier:xmp:1.0:";

    /// <summary>The namespace of IPTC's photo metadata extension (Iptc4xmpExt), where DigitalSourceType lives.</summary>
    public const string IptcExtensionNamespace = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";

    private const string SourceVocabulary = "http://cv.iptc.org/newscodes/digitalsourcetype/";

    /// <summary>The IPTC term's URI, as the standard writes it.</summary>
    public static string SourceUri(DigitalSource source) => SourceVocabulary + source switch
    {
        DigitalSource.TrainedAlgorithmicMedia => "trainedAlgorithmicMedia",
        DigitalSource.CompositeWithTrainedAlgorithmicMedia => "compositeWithTrainedAlgorithmicMedia",
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };

    /// <summary>
    /// The packet for a picture whose PNG text is <paramref name="text"/>: its <c>Software</c> is the creator tool, its
    /// <c>Comment</c>, <c>Atelier.image</c> and <c>Atelier.seed</c> make the description, and every <c>Atelier.x</c> entry becomes
    /// <c>atelier:x</c>.
    /// </summary>
    public static string Build(DigitalSource source, IReadOnlyDictionary<string, string> text)
    {
        var what = text.GetValueOrDefault("Atelier.image");
        if (text.GetValueOrDefault("Atelier.seed") is string seed) what = what is "single" ? "seed " + seed : $"{what}, seed {seed}";
        var description = string.Join(": ", new[] { text.GetValueOrDefault("Comment"), what }.Where(s => !string.IsNullOrEmpty(s)));
        var builder = new StringBuilder();
        var settings = new XmlWriterSettings { OmitXmlDeclaration = true, Indent = true, IndentChars = " ", NewLineChars = "\n", Encoding = new UTF8Encoding(false) };
        using (var xml = XmlWriter.Create(builder, settings))
        {
            xml.WriteProcessingInstruction("xpacket", "begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"");
            xml.WriteStartElement("x", "xmpmeta", "adobe:ns:meta/");
            xml.WriteStartElement("rdf", "RDF", "http://www.w3.org/1999/02/22-rdf-syntax-ns#");
            xml.WriteStartElement("rdf", "Description", "http://www.w3.org/1999/02/22-rdf-syntax-ns#");
            xml.WriteAttributeString("rdf", "about", null, "");
            xml.WriteAttributeString("xmlns", "Iptc4xmpExt", null, IptcExtensionNamespace);
            xml.WriteAttributeString("xmlns", "xmp", null, "http://ns.adobe.com/xap/1.0/");
            xml.WriteAttributeString("xmlns", "dc", null, "http://purl.org/dc/elements/1.1/");
            xml.WriteAttributeString("xmlns", "atelier", null, AtelierNamespace);
            xml.WriteElementString("Iptc4xmpExt", "DigitalSourceType", IptcExtensionNamespace, SourceUri(source));
            if (text.GetValueOrDefault("Software") is { Length: > 0 } software)
                xml.WriteElementString("xmp", "CreatorTool", "http://ns.adobe.com/xap/1.0/", software);
            if (description.Length > 0)
            {
                xml.WriteStartElement("dc", "description", "http://purl.org/dc/elements/1.1/");
                xml.WriteStartElement("rdf", "Alt", null);
                xml.WriteStartElement("rdf", "li", null);
                xml.WriteAttributeString("xml", "lang", null, "x-default");
                xml.WriteString(description);
                xml.WriteEndElement();
                xml.WriteEndElement();
                xml.WriteEndElement();
            }
            foreach (var (key, value) in text.Where(kv => kv.Key.StartsWith("Atelier.", StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal))
                xml.WriteElementString("atelier", XmlConvert.EncodeLocalName(key["Atelier.".Length..]), AtelierNamespace, value);
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteProcessingInstruction("xpacket", "end=\"r\"");
        }
        return builder.ToString();
    }

    /// <summary>The <c>DigitalSourceType</c> URI of a packet, or null when it has none or is not XML.</summary>
    public static string? ReadSourceUri(string packet)
    {
        var document = new XmlDocument { XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new StringReader(packet), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, MaxCharactersInDocument = 1 << 24 });
            document.Load(reader);
        }
        catch (XmlException)
        {
            return null;
        }
        var manager = new XmlNamespaceManager(document.NameTable);
        manager.AddNamespace("Iptc4xmpExt", IptcExtensionNamespace);
        return document.SelectSingleNode("//Iptc4xmpExt:DigitalSourceType", manager)?.InnerText;
    }
}
