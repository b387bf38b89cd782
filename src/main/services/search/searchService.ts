/**
 * Full-text search over the replica: documents (title, document number, body) and messages.
 * The work happens in the replica worker (FTS5 trigram + bigram indexes, see
 * ../replica/textIndex.ts); this module is the one place the app asks.
 */
import type { SearchResult } from '../../../shared/api/offline.contract';
import type { ReplicaApi } from '../replica/protocol';

export interface SearchService {
  search(query: string, limit: number): Promise<SearchResult>;
}

export function createSearchService(replica: Pick<ReplicaApi, 'searchDocuments' | 'searchMessages'>): SearchService {
  return {
    async search(query, limit) {
      if (query.trim() === '') return { documents: [], messages: [] };
      const [documents, messages] = await Promise.all([replica.searchDocuments(query, limit), replica.searchMessages(query, limit)]);
      return { documents, messages };
    },
  };
}
