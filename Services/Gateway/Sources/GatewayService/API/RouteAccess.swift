import Contracts

/// Who may call a route, declared with it in the route table and checked by ``API/handle(_:)`` after authentication
/// and before the handler runs: a route's requirement is read where the route is declared, never inside its handler.
enum RouteAccess: Sendable {
    /// Any role in the tenant, in any project.
    case anyRole
    /// At least `role` in the project named by the path parameter `parameter` (or in every project, `*`).
    case project(Role, parameter: String)
    /// The admin role for every project (`*`); `action` names what it allows in the refusal ("uninstalling").
    case tenantAdmin(action: String)
    /// Decided by the handler from what only the request's content names: a body's or query's project, the stored
    /// ticket's project (refused as not found, so a ticket of another project is not revealed), the person edited.
    /// `reason` says which, for the reader of the route table.
    case inHandler(reason: String)
}
