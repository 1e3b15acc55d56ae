namespace MongoAuth.Authentication;

/// <summary>
/// Creates the mechanism of one client. Called once per client, when the client is built, with the client's
/// credential (already checked against the rules of the mechanism's <see cref="MechanismDescriptor"/>) and settings;
/// it throws <see cref="MongoConfigurationException"/> when something else is wrong.
/// </summary>
/// <param name="credential">The client's credential (its <see cref="MongoCredential.Mechanism"/> may be null when the
/// mechanism is negotiated).</param>
/// <param name="settings">The client's settings.</param>
public delegate IAuthenticationMechanism MechanismFactory(MongoCredential credential, MongoClientSettings settings);
