import { listOperations, type OpenApiDocument } from './openapi-document.js';
import { OperationContract } from './operation-contract.js';
import { SchemaCompiler } from './schema-compiler.js';

export type RouteMatch =
  | { kind: 'operation'; contract: OperationContract; rawParameters: Record<string, string | null> }
  | { kind: 'method-not-allowed'; allowedMethods: string[] }
  | { kind: 'no-route' };

/**
 * Every operation of the OpenAPI document, compiled once. Routing follows
 * OpenAPI's rule: a path with fewer templated segments wins over one with
 * more (`/images/delete` before `/images/{image_id}`); a method the winning
 * path lacks is a 405 naming the methods it has.
 */
export class ApiContract {
  private readonly contracts: OperationContract[];
  private readonly byId: Map<string, OperationContract>;

  constructor(document: OpenApiDocument) {
    const compiler = new SchemaCompiler(document);
    this.contracts = listOperations(document)
      .map((located) => new OperationContract(document, located, compiler))
      .sort((a, b) => a.pathTemplate.parameterNames.length - b.pathTemplate.parameterNames.length);
    this.byId = new Map(this.contracts.map((contract) => [contract.operationId, contract]));
  }

  get operationIds(): string[] {
    return [...this.byId.keys()];
  }

  operation(operationId: string): OperationContract {
    const contract = this.byId.get(operationId);
    if (!contract) throw new Error(`The OpenAPI document has no operation '${operationId}'`);
    return contract;
  }

  matchRoute(method: string, pathname: string): RouteMatch {
    let winner: string | undefined;
    for (const contract of this.contracts) {
      const rawParameters = contract.pathTemplate.match(pathname);
      if (!rawParameters) continue;
      winner ??= contract.pathTemplate.template;
      if (contract.pathTemplate.template !== winner) break;
      if (contract.method === method) return { kind: 'operation', contract, rawParameters };
    }
    if (winner === undefined) return { kind: 'no-route' };
    const allowedMethods = this.contracts.find((contract) => contract.pathTemplate.template === winner)?.allowedMethods ?? [];
    return { kind: 'method-not-allowed', allowedMethods };
  }
}
