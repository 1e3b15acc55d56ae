using System.Net;
using System.Text;

namespace MongoAuth.Authentication.Oidc;

/// <summary>One GET to a cloud metadata endpoint, synchronous or not, cancelled at the callback's timeout.</summary>
internal static class MetadataHttp
{
    // An error body is shown to help (IMDS explains a missing identity there); it holds no token, but is bounded.
    private const int MaxErrorBody = 512;

    private static string ReadSynchronously(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(response.Content.ReadAsStream(cancellationToken), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public static async Task<string> GetAsync(OidcHost host, HttpRequestMessage request, string source, bool runAsync, CancellationToken cancellationToken)
    {
        try
        {
            using var response = runAsync
                ? await host.Http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false)
                : host.Http.Send(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var body = runAsync ? await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false) : ReadSynchronously(response, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var shown = body.Length > MaxErrorBody ? body[..MaxErrorBody] + "…" : body;
                throw new MongoAuthenticationException(
                    $"MONGODB-OIDC with {source}: {request.RequestUri!.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode} {response.ReasonPhrase}: {shown}");
            }
            return body;
        }
        catch (HttpRequestException e)
        {
            throw new MongoAuthenticationException($"MONGODB-OIDC with {source}: the request to {request.RequestUri!.GetLeftPart(UriPartial.Path)} failed: {e.Message}", e);
        }
    }
}
