//! What every handler shares — the simulated carrier, the fault rules, the
//! world and the saver — in a module of its own, so that the server depends
//! on the dialects and both on this, never the dialects on the server.

use std::sync::{Arc, Mutex, MutexGuard};

use super::faults::Faults;
use super::persist::Persister;
use super::state::Sim;
use super::world::World;

/// What every handler shares: the simulated carrier, the fault rules, and
/// the saver when the state is persistent.
#[derive(Clone)]
pub struct Shared {
    sim: Arc<Mutex<Sim>>,
    faults: Arc<Mutex<Faults>>,
    world: Arc<World>,
    persister: Option<Arc<Mutex<Persister>>>,
}

impl Shared {
    /// The state of a sandbox about to serve `world` from `sim`.
    pub(super) fn new(world: World, sim: Sim, persister: Option<Persister>) -> Shared {
        Shared {
            sim: Arc::new(Mutex::new(sim)),
            faults: Arc::new(Mutex::new(Faults::new(world.seed))),
            world: Arc::new(world),
            persister: persister.map(|p| Arc::new(Mutex::new(p))),
        }
    }

    /// The simulated carrier, locked. A handler that panicked cannot leave it
    /// half-updated in a way later calls could not survive, so a poisoned
    /// lock is taken over rather than propagated.
    pub fn sim(&self) -> MutexGuard<'_, Sim> {
        self.sim.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The fault rules, locked.
    pub fn faults(&self) -> MutexGuard<'_, Faults> {
        self.faults.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Back to the initial world: state, clock and fault rules.
    pub fn reset(&self) {
        *self.sim() = Sim::new(&self.world);
        *self.faults() = Faults::new(self.world.seed);
    }

    /// The simulated carrier itself, for the saver that runs off the async
    /// workers.
    pub(super) fn sim_handle(&self) -> Arc<Mutex<Sim>> {
        Arc::clone(&self.sim)
    }

    /// The saver, when the state is persistent.
    pub(super) fn persister(&self) -> Option<Arc<Mutex<Persister>>> {
        self.persister.clone()
    }
}
