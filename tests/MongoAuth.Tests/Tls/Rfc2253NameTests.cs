using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using MongoAuth.Connections.Tls;

namespace MongoAuth.Tests.Tls;

public sealed class Rfc2253NameTests
{
    [Fact]
    public void Last_rdn_of_the_encoding_comes_first_without_spaces()
    {
        var name = Name(("2.5.4.6", "US"), ("2.5.4.10", "MongoAuth"), ("2.5.4.11", "eng"), ("2.5.4.3", "client"));

        Assert.Equal("CN=client,OU=eng,O=MongoAuth,C=US", Rfc2253Name.Format(name));
    }

    [Theory]
    [InlineData("a,b+c", @"CN=a\,b\+c")]
    [InlineData("say \"hi\"; <x> \\", @"CN=say \""hi\""\; \<x\> \\")]
    [InlineData("#tag", @"CN=\#tag")]
    [InlineData(" padded ", @"CN=\ padded\ ")]
    [InlineData("mid # and space", "CN=mid # and space")]
    [InlineData("Jürgen", "CN=Jürgen")]
    public void Special_characters_are_escaped_as_rfc_2253_says(string commonName, string expected)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(commonName);

        Assert.Equal(expected, Rfc2253Name.Format(builder.Build()));
    }

    [Fact]
    public void Known_attributes_use_short_names_and_unknown_ones_dotted_oid_with_hex_der()
    {
        var name = Name(("0.9.2342.19200300.100.1.25", "example"), ("1.2.840.113549.1.9.1", "ops@example.com"), ("1.2.3.4", "v"));

        Assert.Equal("1.2.3.4=#0c0176,emailAddress=ops@example.com,DC=example", Rfc2253Name.Format(name));
    }

    [Fact]
    public void Multi_valued_rdn_joins_its_attributes_with_plus()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSetOf())
            {
                WriteAttribute(writer, "2.5.4.10", "org");
            }

            using (writer.PushSetOf())
            {
                WriteAttribute(writer, "2.5.4.3", "x");
                WriteAttribute(writer, "0.9.2342.19200300.100.1.1", "y");
            }
        }

        Assert.Equal("CN=x+UID=y,O=org", Rfc2253Name.Format(new X500DistinguishedName(writer.Encode())));
    }

    [Fact]
    public void Certificate_subject_is_formatted_from_its_encoding()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=svc,OU=payments,O=\"Acme, Inc.\",C=DE", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));

        Assert.Equal(@"CN=svc,OU=payments,O=Acme\, Inc.,C=DE", Rfc2253Name.Subject(certificate));
    }

    /// <summary>A name with one single-valued RDN per attribute, encoded in the order given.</summary>
    private static X500DistinguishedName Name(params (string Oid, string Value)[] attributes)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var (oid, value) in attributes)
            {
                using (writer.PushSetOf())
                {
                    WriteAttribute(writer, oid, value);
                }
            }
        }

        return new X500DistinguishedName(writer.Encode());
    }

    private static void WriteAttribute(AsnWriter writer, string oid, string value)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            writer.WriteCharacterString(UniversalTagNumber.UTF8String, value);
        }
    }
}
